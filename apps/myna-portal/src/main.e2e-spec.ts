import { describeServiceBoot } from '@myna/testing';
import { mynaPortalService } from './service-definition';

describeServiceBoot(mynaPortalService);
