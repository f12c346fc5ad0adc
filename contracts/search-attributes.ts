/**
 * Custom search attributes: registered on the dev server at start, used by workflows to make
 * tenants, dates, models and order tags filterable in the Temporal Web UI.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const TradingDate = defineSearchAttributeKey('TradingDate', SearchAttributeType.KEYWORD);
export const ModelType = defineSearchAttributeKey('ModelType', SearchAttributeType.KEYWORD);
export const OrderTag = defineSearchAttributeKey('OrderTag', SearchAttributeType.KEYWORD_LIST);
/** A trading day's ACTIVE / REDUCING / HALTED, kept current as it changes. */
export const TradingStateAttr = defineSearchAttributeKey('TradingState', SearchAttributeType.KEYWORD);

/** name → Temporal CLI type name, for `temporal server start-dev --search-attribute`. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'KeywordList' | 'Text' | 'Int' | 'Datetime'> = {
  TenantId: 'Keyword',
  TradingDate: 'Keyword',
  ModelType: 'Keyword',
  OrderTag: 'KeywordList',
  TradingState: 'Keyword',
};
