import { parseCheckArgs } from './check-args';

describe('npm run compose:check arguments', () => {
  it('checks everything by default', () => {
    expect(parseCheckArgs([])).toEqual({ ok: true, options: { help: false, imagesOnly: false, rebuildStandIns: false, scenarios: [] } });
  });

  it('takes the images-only mode, a rebuild of the stand-ins and named scenarios', () => {
    expect(parseCheckArgs(['--images', '--rebuild-stand-ins', '--scenario', 'hub-breach', '--scenario', 'chip-tamper'])).toEqual({
      ok: true,
      options: { help: false, imagesOnly: true, rebuildStandIns: true, scenarios: ['hub-breach', 'chip-tamper'] },
    });
  });

  it.each([
    [['--scenario'], '--scenario needs a scenario name'],
    [['--scenario', '--images'], '--scenario needs a scenario name'],
    [['--keep'], 'unknown argument: --keep'],
  ])('refuses %j: %s', (argv, error) => {
    expect(parseCheckArgs(argv)).toEqual({ ok: false, error });
  });
});
