/** Reads a secret from the terminal without echoing it; refuses when there is no terminal. */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from './usage-error';

export function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    return Promise.reject(new UsageError('password: no terminal to prompt on; set QS_USER_PASSWORD'));
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
