// A stand-in for keytar, loaded by the keychain helper process in keytar-process.test.ts.
// Account names steer it: "stuck" blocks the helper for good (as a native call stuck in D-Bus
// does: nothing but SIGKILL ends it), "fail" rejects; the rest is an in-memory store.
const stored = new Map();
const steer = (account) => {
  if (account === 'stuck') for (;;);
  if (account === 'fail') return Promise.reject(new Error('Cannot autolaunch D-Bus without X11'));
  return null;
};
module.exports = {
  getPassword: (service, account) =>
    steer(account) ?? Promise.resolve(stored.get(`${service}/${account}`) ?? null),
  setPassword: (service, account, password) =>
    steer(account) ?? Promise.resolve(void stored.set(`${service}/${account}`, password)),
  deletePassword: (service, account) =>
    steer(account) ?? Promise.resolve(stored.delete(`${service}/${account}`)),
};
