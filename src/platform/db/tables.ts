import type { SelectQueryBuilder } from 'kysely';
import type { AllianceTables } from '../../modules/alliance/tables.ts';
import type { AssetTables } from '../../modules/content/assets/assets.tables.ts';
import type { ContentTables } from '../../modules/content/tables.ts';
import type { DistributionTables } from '../../modules/distribution/tables.ts';
import type { IngestTables } from '../../modules/content/ingest/ingest.repo.ts';
import type { UnderstandingTables } from '../../modules/content/understanding/understanding.repo.ts';
import type { IdentityTables } from '../../modules/identity/tables.ts';
import type { NewsroomTables } from '../../modules/newsroom/tables.ts';
import type { PrintTables } from '../../modules/print/print.tables.ts';
import type { PortalTables } from '../../modules/portal/tables.ts';
import type { PushTables } from '../../modules/push/tables.ts';
import type { ReaderTables } from '../../modules/readers/tables.ts';
import type { RecommendTables } from '../../modules/recommend/tables.ts';
import type { ScreeningTables } from '../../modules/screening/tables.ts';

/** The whole schema as Kysely sees it: each module declares the tables it owns. */
export interface Database extends AllianceTables, IdentityTables, ContentTables, AssetTables, IngestTables, UnderstandingTables, NewsroomTables, ScreeningTables, DistributionTables, PortalTables, ReaderTables, PrintTables, RecommendTables, PushTables {}

/** A one-column sub-query of ids, how one module hands another a tenancy filter without its tables. */
export type IdSubquery<K extends string> = SelectQueryBuilder<Database, any, Record<K, string>>;
