/**
 * A TCP proxy on 127.0.0.1 between the assistant and the companion API, to play network
 * faults: refuse every connection (the line is down), call a hook once an upload body has
 * passed some bytes (to kill the server mid-upload), cut the connection as the answer comes
 * back (the server stored the document, the client never heard), or cut every upload while the
 * rest passes (a line that gives way under a file: the dossier is read, documents wait).
 */
import net from 'node:net';

export interface FaultProxy {
  url: string;
  /** The line goes down: open connections are cut, new ones refused. */
  down(): void;
  up(): void;
  /** Called once when a connection has carried this many bytes towards the server. */
  onUpstreamBytes: { after: number; run: () => void | Promise<void> } | null;
  /** Cut the next N answers to an upload (POST) before the client reads them. */
  cutUploadAnswers: number;
  /** Called once, instead of passing it on, when the answer to an upload comes back. */
  onUploadAnswer: (() => void | Promise<void>) | null;
  /** While true, each upload (POST) is cut before it reaches the server. */
  cutUploads: boolean;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  let isDown = false;
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    let sent = 0;
    let isUpload = false;
    client.on('data', (chunk: Buffer) => {
      // A kept-alive connection carries several requests: each request line resets the count.
      const head = chunk.subarray(0, 8).toString('latin1');
      if (/^(GET|POST|DELETE|PUT|HEAD) \//.test(head)) {
        isUpload = head.startsWith('POST ') && chunk.subarray(0, 200).includes('/documents');
        sent = 0;
        if (isUpload && proxy.cutUploads) {
          client.destroy();
          upstream.destroy();
          return;
        }
      }
      sent += chunk.length;
      const hook = proxy.onUpstreamBytes;
      if (hook && isUpload && sent >= hook.after) {
        proxy.onUpstreamBytes = null;
        client.pause();
        void hook.run();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      const answerHook = proxy.onUploadAnswer;
      if (isUpload && answerHook && chunk.subarray(0, 5).toString('latin1') === 'HTTP/') {
        proxy.onUploadAnswer = null;
        void answerHook();
        return;
      }
      if (isUpload && proxy.cutUploadAnswers > 0 && chunk.subarray(0, 5).toString('latin1') === 'HTTP/') {
        proxy.cutUploadAnswers--;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    down() {
      isDown = true;
      for (const s of sockets) s.destroy();
    },
    up() {
      isDown = false;
    },
    onUpstreamBytes: null,
    cutUploadAnswers: 0,
    onUploadAnswer: null,
    cutUploads: false,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
