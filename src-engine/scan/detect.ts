/**
 * Finds a document's four corners in a photo with DocCornerNet LEAN (MobileNetV2 + SimCC,
 * 456 K parameters, MIT; assets/models/doccornernet-lean/ with its LICENSE), run by
 * onnxruntime-node: about 10 ms a photo on one core, 50 to 100 ms to load once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import type { Quad } from './homography';

export const MODEL_SIZE = 224;
const MODEL_FILE = path.join('assets', 'models', 'doccornernet-lean', 'doccornernet_lean.onnx');
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

/**
 * The model ships beside the app, never fetched: looked for upward from this module (the
 * sources, dist/normalise/ or its chunks/ folder all sit two or three levels under the root).
 */
function modelPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = path.join(dir, MODEL_FILE);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`document-corner model not found (${MODEL_FILE})`);
}

type Loaded = { ort: typeof import('onnxruntime-node'); session: InferenceSession };
let session: Promise<Loaded> | undefined;

/**
 * Loads the runtime and the model once per process. Started by the scanner before it
 * decodes the photo: libvips decodes on its own threads while this one loads.
 */
export function loadDetector(): Promise<Loaded> {
  session ??= (async () => {
    const ort = await import('onnxruntime-node');
    // Read as bytes by Node (which reads inside the packaged app's archive), not by the
    // native runtime (which cannot).
    const model = readFileSync(modelPath());
    // One thread: the photo is decoded on the other core meanwhile. Graph optimisation
    // 'basic' (constant folding, redundant nodes): 'all' adds layout changes that save
    // about 3 ms of inference and cost about 25 ms of session creation, paid once per
    // process by the command (outputs identical on the bench's photos).
    const created = await ort.InferenceSession.create(new Uint8Array(model.buffer, model.byteOffset, model.byteLength), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'basic',
    });
    return { ort, session: created };
  })();
  // Loading early means nobody may be waiting yet: the failure reaches whoever awaits it
  // (detectCorners), not the process's unhandled-rejection handler.
  session.catch(() => undefined);
  return session;
}

export interface Detection {
  /** Corners in 0..1 of the picture's width and height: top-left, top-right, bottom-right, bottom-left. */
  corners: Quad;
  /** Probability that a document is in the picture. */
  score: number;
}

/** `rgb`: the upright picture stretched to 224×224, 3 channels. */
export async function detectCorners(rgb: Uint8Array): Promise<Detection> {
  if (rgb.length !== MODEL_SIZE * MODEL_SIZE * 3) throw new Error('detectCorners: 224×224 RGB expected');
  const { ort, session: s } = await loadDetector();
  const input = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) {
    const c = i % 3;
    input[i] = (rgb[i]! / 255 - MEAN[c]!) / STD[c]!;
  }
  const result = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input, [1, MODEL_SIZE, MODEL_SIZE, 3]) });
  const coords = result['coords']!.data as Float32Array;
  const logit = (result['score_logit']!.data as Float32Array)[0]!;
  const p = (i: number): [number, number] => [coords[2 * i]!, coords[2 * i + 1]!];
  return { corners: [p(0), p(1), p(2), p(3)], score: 1 / (1 + Math.exp(-logit)) };
}
