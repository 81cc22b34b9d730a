import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Access, Operators } from '@myna/platform';
import {
  ConsistencyQueryDto,
  InclusionProofDto,
  InclusionQueryDto,
  LogLeafListDto,
  LogPageQueryDto,
  ProofDto,
  ReceiptProofsDto,
  ReceiptProofsQueryDto,
  TreeHeadDto,
  TreeHeadListDto,
} from './dtos/log-query.dto';
import { TransparencyLogProofs } from './transparency-log-proofs';
import { LogRangeError } from './transparency-log.exception';
import { TransparencyLogRepository } from './transparency-log.repository';
import { MYNA_PORTAL } from '@myna/protocol';

/**
 * The transparency log, read (DESIGN §5, "The log"). Tree heads and proofs are for
 * the hub's auditors and for the portal, which fetches them for a citizen's
 * browser to check; the leaves themselves and every head are for auditors only.
 */
@ApiTags('transparency log')
@Controller('log')
export class TransparencyLogController {
  constructor(
    @Inject(TransparencyLogProofs) private readonly proofs: TransparencyLogProofs,
    @Inject(TransparencyLogRepository) private readonly log: TransparencyLogRepository,
  ) {}

  @Get('tree-head')
  @Access({ roles: ['hub-auditor'], services: [MYNA_PORTAL] })
  @ApiOperation({ summary: 'The newest signed tree head' })
  @ApiOkResponse({ type: TreeHeadDto })
  async treeHead(): Promise<TreeHeadDto> {
    const head = await this.proofs.latestHead();
    if (!head) throw new LogRangeError('the log is empty: the hub has signed no tree head yet');
    return head;
  }

  @Get('proofs/inclusion')
  @Access({ roles: ['hub-auditor'], services: [MYNA_PORTAL] })
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of a leaf in a signed tree, with the hash of the leaf the log holds at that index' })
  @ApiOkResponse({ type: InclusionProofDto })
  @ApiBadRequestResponse({ description: 'code log-range: no such leaf or signed tree' })
  @ApiServiceUnavailableResponse({ description: 'code log-damaged: the stored leaves cannot make that tree; log-busy (with Retry-After) while the hub proves for others' })
  async inclusion(@Query() query: InclusionQueryDto): Promise<InclusionProofDto> {
    return this.proofs.inclusion(query.index, query.size);
  }

  @Get('proofs/consistency')
  @Access({ roles: ['hub-auditor'], services: [MYNA_PORTAL] })
  @ApiOperation({ summary: 'RFC 9162 consistency proof: the older tree is a prefix of the newer' })
  @ApiOkResponse({ type: ProofDto })
  @ApiBadRequestResponse({ description: 'code log-range' })
  @ApiServiceUnavailableResponse({ description: 'code log-damaged, or log-busy (with Retry-After)' })
  async consistency(@Query() query: ConsistencyQueryDto): Promise<ProofDto> {
    return { proof: await this.proofs.consistency(query.first, query.second) };
  }

  @Get('proofs/receipt')
  @Access({ roles: ['hub-auditor'], services: [MYNA_PORTAL] })
  @ApiOperation({ summary: 'What a receipt’s holder checks, in one pass over the log: inclusion of its leaf in a signed tree, the leaf the log holds there, and consistency from its own tree (and from the one it last checked)' })
  @ApiOkResponse({ type: ReceiptProofsDto })
  @ApiBadRequestResponse({ description: 'code log-range' })
  @ApiServiceUnavailableResponse({ description: 'code log-damaged, or log-busy (with Retry-After) while the hub proves for others' })
  async receipt(@Query() query: ReceiptProofsQueryDto): Promise<ReceiptProofsDto> {
    return this.proofs.receipt(query.index, query.size, query.first, query.since);
  }

  @Get('tree-heads')
  @Operators('hub-auditor')
  @ApiOperation({ summary: 'Every signed tree head, oldest first, a page at a time' })
  @ApiOkResponse({ type: TreeHeadListDto })
  async treeHeads(@Query() query: LogPageQueryDto): Promise<TreeHeadListDto> {
    return { treeHeads: await this.log.heads(query.from, query.limit) };
  }

  @Get('leaves')
  @Operators('hub-auditor')
  @ApiOperation({ summary: 'The leaves as stored, by index, a page at a time: metadata and commitments only' })
  @ApiOkResponse({ type: LogLeafListDto })
  async leaves(@Query() query: LogPageQueryDto): Promise<LogLeafListDto> {
    return { leaves: await this.log.leaves(query.from, query.from + query.limit) };
  }
}
