import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  ensureElectron,
  type ElectronInstaller,
  type FirstStartOptions,
  type InstallProgress,
} from '../../../../src-main/first-start/sequence';

const MB = 1024 * 1024;

/** A binary that appears once the fake installer has finished. */
function machine(installer: (installed: () => void) => ElectronInstaller['install']) {
  let present = false;
  const lines: string[] = [];
  let calls = 0;
  const options: FirstStartOptions = {
    locate: () => (present ? '/fake/electron' : null),
    installer: {
      install: (o) => {
        calls += 1;
        return installer(() => (present = true))(o);
      },
    },
    say: (line) => lines.push(line),
    connectTimeoutMs: 100,
    stallTimeoutMs: 150,
  };
  return { options, lines, calls: () => calls };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `steps` progress events `everyMs` apart, then installs. */
function download(steps: number, everyMs: number, total: number | null = 100 * MB): (installed: () => void) => ElectronInstaller['install'] {
  return (installed) =>
    async ({ onProgress }) => {
      for (let i = 1; i <= steps; i++) {
        await sleep(everyMs);
        onProgress({ transferred: (i * 100 * MB) / steps, total } satisfies InstallProgress);
      }
      installed();
    };
}

const neverAnswers = () => () => new Promise<void>(() => {});

describe('first start of the desktop app', () => {
  it('opens at once when the binary is there, without calling the installer', async () => {
    const m = machine(download(1, 1));
    m.options.locate = () => '/already/electron';
    expect(await ensureElectron(m.options)).toEqual({ binary: '/already/electron' });
    expect(m.calls()).toBe(0);
    expect(m.lines).toEqual([]);
  });

  it('fetches a missing binary, saying how far it has got in plain French, then opens', async () => {
    const m = machine(download(10, 5));
    expect(await ensureElectron(m.options)).toEqual({ binary: '/fake/electron' });
    expect(m.lines[0]).toMatch(/^Première ouverture : téléchargement/);
    expect(m.lines).toContain("Téléchargement d'Electron : 50 % (50 Mo sur 100 Mo)…");
    expect(m.lines).toContain("Téléchargement d'Electron : 100 % (100 Mo sur 100 Mo)…");
    expect(m.lines.at(-1)).toBe("Electron est installé : ouverture de l'application…");
  });

  it('a slow download that keeps moving is never cut, even past the connection timeout', async () => {
    // 12 steps of 50 ms: 600 ms in all, three times the 200 ms to connect, never 500 ms silent
    // (margins wide enough for a loaded machine's late timers).
    const m = machine(download(12, 50, null));
    m.options.connectTimeoutMs = 200;
    m.options.stallTimeoutMs = 500;
    expect(await ensureElectron(m.options)).toEqual({ binary: '/fake/electron' });
    expect(m.lines.some((l) => /Mo reçus/.test(l))).toBe(true);
  });

  it('with no answer at all, gives up after the connection timeout and names the browser host', async () => {
    const m = machine(neverAnswers);
    const started = Date.now();
    expect(await ensureElectron(m.options)).toEqual({ binary: null, reason: 'offline' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(m.lines.at(-1)).toMatch(/faute de connexion à Internet.*« npm run browser »/);
  });

  it('a download that stalls half-way is cut too, and the installer is told to stop', async () => {
    let aborted = false;
    const m = machine(() => async ({ onProgress, signal }) => {
      signal.addEventListener('abort', () => (aborted = true));
      onProgress({ transferred: 10 * MB, total: 100 * MB });
      await new Promise<void>(() => {});
    });
    expect(await ensureElectron(m.options)).toEqual({ binary: null, reason: 'offline' });
    expect(aborted).toBe(true);
  });

  it.each([
    ['no network (DNS)', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }), 'offline', /faute de connexion/],
    ['a refusal from the mirror', Object.assign(new Error('Response code 403'), { name: 'HTTPError', response: { status: 403 } }), 'refused', /refusé \(réponse 403\)/],
    ['a corrupted archive', new Error('Generated checksum for "electron.zip" did not match expected checksum.'), 'refused', /empreinte/],
    ['anything else', new Error('EACCES: permission denied, mkdir'), 'failed', /a échoué \(EACCES/],
  ])('on %s: one sentence naming « npm run browser », nothing opened', async (_name, error, reason, words) => {
    const m = machine(() => async () => {
      throw error;
    });
    expect(await ensureElectron(m.options)).toEqual({ binary: null, reason });
    const last = m.lines.at(-1)!;
    expect(last).toMatch(words);
    expect(last).toMatch(/« npm run browser »/);
    expect(last.split(/[.…] /)).toHaveLength(1);
  });

  it('an installer that ends without a binary is a failure, not a start', async () => {
    const m = machine(() => async () => {});
    expect(await ensureElectron(m.options)).toMatchObject({ binary: null, reason: 'failed' });
  });

  it('with ELECTRON_SKIP_BINARY_DOWNLOAD, says so at once and downloads nothing', async () => {
    const m = machine(download(1, 1));
    m.options.skipDownload = true;
    expect(await ensureElectron(m.options)).toEqual({ binary: null, reason: 'skipped' });
    expect(m.calls()).toBe(0);
    expect(m.lines).toHaveLength(1);
    expect(m.lines[0]).toMatch(/téléchargement est désactivé.*« npm run browser »/);
  });

  it('reads an aborted fetch as no connection', () => {
    expect(classifyFailure(new DOMException('aborted', 'AbortError')).reason).toBe('offline');
  });
});
