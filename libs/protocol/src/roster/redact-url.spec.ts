import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('replaces a password, keeps everything else, and says when the text is not a URL', () => {
    expect(redactUrl('postgres://tax:secret@db.example:5432/tax')).toBe('postgres://tax:***@db.example:5432/tax');
    expect(redactUrl('redis://myna-admin:s3cret@127.0.0.1:6380')).toBe('redis://myna-admin:***@127.0.0.1:6380');
    expect(redactUrl('http://127.0.0.1:4002/')).toBe('http://127.0.0.1:4002');
    expect(redactUrl('http://127.0.0.1:4002/inquiries/')).toBe('http://127.0.0.1:4002/inquiries/');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/myna')).toBe('postgres://postgres@127.0.0.1:5432/myna');
    expect(redactUrl('not a url')).toBe('(not a URL)');
  });
});
