import { validationFailed } from '../common/errors.js';
import { Dec, MAX_MONEY, RULES, lineGross, lineTotal, parseDecimal, sum } from '../common/money.js';
import { optionalText, requiredText } from '../common/text.js';
import { M } from '../common/messages.js';

/** A quote line as the client sends it (decimals as strings). */
export interface ItemDraft {
  product: string;
  specification?: string | null;
  quantity: string;
  unit?: string | null;
  unitPrice: string;
  discount?: string | null;
}

/** A line ready to store: canonical decimal strings and its total. */
export interface PricedItem {
  position: number;
  product: string;
  specification: string | null;
  quantity: string;
  unit: string | null;
  unitPrice: string;
  discount: string;
  lineTotal: string;
}

export interface PricedQuote {
  items: PricedItem[];
  /** Σ quantity × unit price (each rounded to cents), before discounts. */
  subtotal: string;
  /** Σ line totals. */
  total: string;
}

/**
 * Prices quote lines exactly: line total = quantity × unit price × (1 − discount), rounded half-up
 * to cents; quote total = Σ line totals. VALIDATION_FAILED names the offending field
 * (`path`, index, field), and nothing is stored when any line is invalid.
 */
export function priceQuote(drafts: readonly ItemDraft[], path: string[]): PricedQuote {
  const gross: Dec[] = [];
  const totals: Dec[] = [];
  const items = drafts.map((draft, index): PricedItem => {
    const at = (field: string) => [...path, String(index), field];
    const product = requiredText(draft.product, at('product'));
    const quantity = parseDecimal(draft.quantity, RULES.quantity, at('quantity'), 'quantity');
    const unitPrice = parseDecimal(draft.unitPrice, RULES.unitPrice, at('unitPrice'), 'unitPrice');
    const discount = parseDecimal(draft.discount ?? '0', RULES.discount, at('discount'), 'discount');
    const total = lineTotal(quantity, unitPrice, discount);
    const before = lineGross(quantity, unitPrice);
    if (before.gt(MAX_MONEY)) {
      throw validationFailed(at('quantity'), M.lineAmountTooLarge({ amount: before.toFixed(2), max: MAX_MONEY.toFixed(2) }));
    }
    gross.push(before);
    totals.push(total);
    return {
      position: index + 1,
      product,
      specification: optionalText(draft.specification),
      quantity: quantity.toFixed(),
      unit: optionalText(draft.unit),
      unitPrice: unitPrice.toFixed(),
      discount: discount.toFixed(),
      lineTotal: total.toFixed(2),
    };
  });
  const subtotal = sum(gross);
  if (subtotal.gt(MAX_MONEY)) {
    throw validationFailed(path, M.quoteAmountTooLarge({ amount: subtotal.toFixed(2), max: MAX_MONEY.toFixed(2) }));
  }
  return { items, subtotal: subtotal.toFixed(2), total: sum(totals).toFixed(2) };
}
