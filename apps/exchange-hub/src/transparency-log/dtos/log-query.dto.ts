import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_INDEX = Number.MAX_SAFE_INTEGER;
export const MAX_LOG_PAGE = 1_000;

export class InclusionQueryDto {
  @ApiProperty({ description: 'The leaf’s index', minimum: 0 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INDEX)
  index!: number;

  @ApiProperty({ description: 'The size of a tree the hub signed', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INDEX)
  size!: number;
}

export class ConsistencyQueryDto {
  @ApiProperty({ description: 'The older tree’s size', minimum: 0 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INDEX)
  first!: number;

  @ApiProperty({ description: 'The newer tree’s size (a tree the hub signed)', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INDEX)
  second!: number;
}

/** A receipt's leaf index and the signed tree to prove it in (the newest, for a Verify), and the older trees to prove consistency from. */
export class ReceiptProofsQueryDto extends InclusionQueryDto {
  @ApiProperty({ description: 'The size of the receipt’s own tree head', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INDEX)
  first!: number;

  @ApiPropertyOptional({ description: 'The size of the tree the verifier last checked', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INDEX)
  since?: number;
}

export class LogPageQueryDto {
  @ApiPropertyOptional({ description: 'From this index (leaves) or size (tree heads) on', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INDEX)
  from = 0;

  @ApiPropertyOptional({ description: 'How many', minimum: 1, maximum: MAX_LOG_PAGE, default: MAX_LOG_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LOG_PAGE)
  limit = MAX_LOG_PAGE;
}

export class TreeHeadDto {
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'base64url SHA-256 root (RFC 9162 MTH)' }) root!: string;
  @ApiProperty({ description: 'JWS (EdDSA, typ myna-tree-head) by the hub over {log, size, root, timestamp}' }) signed!: string;
}

export class ProofDto {
  @ApiProperty({ type: [String], description: 'base64url hashes, in RFC 9162 order' }) proof!: string[];
}

export class InclusionProofDto extends ProofDto {
  @ApiProperty({ description: 'base64url SHA-256(0x00 ‖ leaf) of the leaf the log holds at that index: compare it with your own copy' }) leafHash!: string;
}

export class ReceiptProofsDto {
  @ApiProperty({ type: [String], description: 'RFC 9162 inclusion proof of the leaf in the tree of `size`' }) inclusion!: string[];
  @ApiProperty({ description: 'base64url SHA-256(0x00 ‖ leaf) of the leaf the log holds at that index: compare it with your own copy' }) leafHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 consistency proof from the tree of `first` to the tree of `size`' }) fromFirst!: string[];
  @ApiProperty({ type: [String], nullable: true, description: 'the same from the tree of `since`; null without `since`' }) fromSince!: string[] | null;
}

export class TreeHeadListDto {
  @ApiProperty({ type: [TreeHeadDto] }) treeHeads!: TreeHeadDto[];
}

export class LogLeafDto {
  @ApiProperty() index!: number;
  @ApiProperty({ description: 'the leaf as stored (JSON: metadata and a commitment)' }) leaf!: string;
}

export class LogLeafListDto {
  @ApiProperty({ type: [LogLeafDto] }) leaves!: LogLeafDto[];
}
