import { describeServiceBoot } from '@myna/testing';
import { codeIssuerService } from './service-definition';

describeServiceBoot(codeIssuerService);
