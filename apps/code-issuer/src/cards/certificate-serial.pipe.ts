import type { PipeTransform } from '@nestjs/common';
import { CERTIFICATE_SERIAL_PATTERN } from '@myna/card';
import { FederationError } from '@myna/protocol';

/** `:serial` in a path: 20 upper-case hex digits, or 400 with the body every refusal has. */
export class CertificateSerialPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CERTIFICATE_SERIAL_PATTERN.test(value)) throw new FederationError('invalid-request', 'serial must be 20 hex digits (0-9, A-F)', 400);
    return value;
  }
}
