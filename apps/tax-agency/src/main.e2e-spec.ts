import { describeServiceBoot } from '@myna/testing';
import { taxAgencyService } from './service-definition';

describeServiceBoot(taxAgencyService);
