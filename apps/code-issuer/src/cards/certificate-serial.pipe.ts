import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { CERTIFICATE_SERIAL_PATTERN } from '@myna/card';

/** `:serial` in a path: 20 upper-case hex digits, or 400 with the same body shape as every other refusal. */
export class CertificateSerialPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CERTIFICATE_SERIAL_PATTERN.test(value)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', reason: 'invalid-request', message: ['serial must be 20 hex digits (0-9, A-F)'] });
    }
    return value;
  }
}
