import { mountsUnder } from './docker-engine';

// /proc/self/mountinfo lines: the mount point is the fifth field, with spaces and
// the like written as octal escapes.
const MOUNTINFO = [
  '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '90 22 0:47 / /tmp/myna-compose-check-Ab12/data/overlay2/3f/merged rw,relatime - overlay overlay rw',
  '91 22 0:48 / /tmp/myna-compose-check-Ab12/data/containers/9c/mounts/shm rw - tmpfs shm rw',
  '92 22 0:4 net:[4026532301] /tmp/myna-compose-check-Ab12/exec/netns/1a2b rw - nsfs nsfs rw',
  '93 22 0:49 / /tmp/myna-compose-check-Ab12-other/data rw - tmpfs tmpfs rw',
  '94 22 0:50 / /tmp/myna-compose-check-Ab12/with\\040space rw - tmpfs tmpfs rw',
  '95 22 0:51 / /tmp/myna-compose-check-Ab12 rw - tmpfs tmpfs rw',
].join('\n');

describe('the mounts an engine started for the run leaves under its state folder', () => {
  it('are those at or under the folder, deepest first, and no others', () => {
    expect(mountsUnder('/tmp/myna-compose-check-Ab12', MOUNTINFO)).toEqual([
      '/tmp/myna-compose-check-Ab12/data/containers/9c/mounts/shm',
      '/tmp/myna-compose-check-Ab12/data/overlay2/3f/merged',
      '/tmp/myna-compose-check-Ab12/exec/netns/1a2b',
      '/tmp/myna-compose-check-Ab12/with space',
      '/tmp/myna-compose-check-Ab12',
    ]);
  });
});
