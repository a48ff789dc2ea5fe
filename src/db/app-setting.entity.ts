import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/** Server-wide settings and generated secrets, shared by every instance on one database. */
@Entity({ tableName: 'app_setting' })
export class AppSetting {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  value!: unknown;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date & Opt = new Date();
}
