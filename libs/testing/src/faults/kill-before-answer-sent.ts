// A test seam, loaded into a worker process with `node -r` (never part of a
// service's build): the process SIGKILLs itself at the worst moment for a
// provider, after its answer is recorded in its database and before the answer
// is on the hub's queue. Production code carries no fault switch.
import { MessageSender } from '@myna/messaging';
import { JOB_NAMES } from '@myna/protocol';

const send = MessageSender.prototype.send;
MessageSender.prototype.send = function sendOrDie(this: MessageSender, ...args: Parameters<MessageSender['send']>) {
  if (args[1] === JOB_NAMES.answer) process.kill(process.pid, 'SIGKILL');
  return send.apply(this, args);
};
