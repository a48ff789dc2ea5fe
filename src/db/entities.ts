import { Customer } from '../customers/customer.entity.js';
import { CustomerShare } from '../customers/customer-share.entity.js';
import { OwnershipEvent } from '../customers/ownership-event.entity.js';
import { User } from '../users/user.entity.js';
import { AppSetting } from './app-setting.entity.js';
import { Quote } from '../quotes/quote.entity.js';
import { QuoteItem } from '../quotes/quote-item.entity.js';
import { Contract } from '../contracts/contract.entity.js';
import { Receivable } from '../payments/receivable.entity.js';
import { Receipt } from '../payments/receipt.entity.js';

export const entities = [User, Customer, CustomerShare, OwnershipEvent, AppSetting, Quote, QuoteItem, Contract, Receivable, Receipt];
