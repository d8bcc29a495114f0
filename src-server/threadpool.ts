/**
 * Imported first by the server's entry points, before anything touches the libuv thread pool
 * (file system, crypto, zlib, DNS), which reads UV_THREADPOOL_SIZE once, at first use.
 *
 * Every upload ends with two fsyncs (the file, then its folder) that each hold a pool thread
 * for milliseconds to tens of milliseconds. With libuv's default of 4 threads, 16 concurrent
 * uploads queue their writes and reads behind other uploads' fsyncs. The threads mostly wait
 * on the disk, so more of them cost little memory and no CPU. An operator's own setting wins.
 */
const THREADS = 16;
process.env.UV_THREADPOOL_SIZE ??= String(THREADS);
