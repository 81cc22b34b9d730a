// Jest setupFiles entry (jest.preset.js): each test file's module registry loads
// libs/codes afresh, so wait there for the group backend before the file runs.
import { groupReady } from '../src/group';

export = async function waitForGroupBackend(): Promise<void> {
  await groupReady();
};
