// The test page's dedicated worker: evaluates the function source it is
// sent and posts back its result (or the error's name and message).
self.onmessage = async (e) => {
  const { id, src, arg } = e.data;
  try {
    const fn = (0, eval)(`(${src})`);
    self.postMessage({ id, value: await fn(arg) });
  } catch (err) {
    self.postMessage({ id, error: `${err?.name}: ${err?.message}` });
  }
};
