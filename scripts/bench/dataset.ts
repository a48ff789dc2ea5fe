// The benchmark's data, loaded straight into the tables after the migrations ran: the shape of the
// shared peer comparison (its seed-project.sql, scaled by the number of customers), plus shares so
// that SHARED_WITH_ME has customers. Every value is a pure function of the row number.
//
//   users: 1 ADMIN, 2..11 MANAGER, 12..101 SALES reporting to 2 + (u % 10); one password for all
//   customers: n, every 5th in the pool, the others owned by a salesperson; every 4th owned one shared
//   per customer: 3 contacts with 1 social relation each, 20 interactions, 2 quotes of 2 items,
//   1 contract from the first quote with 1 receivable and 2 receipts (no attachments)
//
// The load runs with triggers and foreign key checks off (session_replication_role = replica), so
// the columns triggers keep (customer.owner_name) are filled explicitly at the end.

export const BENCH_PASSWORD = 'bench-password-1';

export function datasetSql(customers: number, passwordHash: string): string[] {
  const n = Math.max(10, Math.floor(customers));
  const hash = passwordHash.replace(/'/g, "''");
  const creator = `CASE WHEN c % 5 = 0 THEN 1 ELSE 12 + (c / 5) % 90 END`;
  return [
    `SET session_replication_role = replica`,
    `SET synchronous_commit = off`,
    `INSERT INTO app_user (id, name, email, password_hash, role, manager_id, created_at, updated_at)
     SELECT u,
            CASE WHEN u = 1 THEN '管理员' ELSE
              (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + u % 10] ||
              (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳'])[1 + (u / 10) % 12] ||
              (ARRAY['','华','明','超','霞'])[1 + (u * 7) % 5] END,
            CASE WHEN u = 1 THEN 'admin@bench.local' ELSE 'user' || u || '@bench.local' END,
            '${hash}',
            CASE WHEN u = 1 THEN 'ADMIN' WHEN u <= 11 THEN 'MANAGER' ELSE 'SALES' END,
            CASE WHEN u <= 11 THEN NULL ELSE 2 + (u % 10) END,
            timestamptz '2022-01-01 00:00:00+00' + u * interval '1 hour',
            timestamptz '2022-01-01 00:00:00+00' + u * interval '1 hour'
     FROM generate_series(1, 101) u`,
    `CREATE TEMP TABLE w AS SELECT
       ARRAY['北京','上海','深圳','广州','杭州','南京','苏州','成都','武汉','西安','天津','重庆','长沙','郑州','济南',
             '青岛','合肥','福州','厦门','宁波','无锡','佛山','东莞','昆明','南昌','贵阳','南宁','太原','石家庄','沈阳',
             '大连','长春','哈尔滨','兰州','乌鲁木齐','呼和浩特','温州','常州','珠海','中山'] AS city,
       regexp_split_to_array('华信恒通宏远金诚博源鼎盛瑞丰天成嘉禾永泰中联汇智海川东方明达凯乐安捷世章航同创正大德润星河鑫锦程启立新锐兴隆宇佳美康力峰', '') AS brand,
       ARRAY['科技','软件','电子','机械','贸易','物流','建材','医药','食品','化工','纺织','新能源','环保','教育咨询','信息技术',
             '网络科技','生物科技','实业','投资','建设工程','文化传媒','餐饮管理','供应链','汽车服务','智能制造'] AS trade,
       ARRAY['有限公司','有限公司','有限公司','股份有限公司','集团有限公司','有限责任公司'] AS suffix,
       ARRAY['信息技术','电子制造','装备制造','批发零售','交通物流','建筑建材','医药健康','食品饮料','化工','能源'] AS industry,
       ARRAY['展会','官网咨询','客户转介绍','电话营销','网络广告','老客户'] AS source,
       ARRAY['华北','华东','华南','华中','西南','西北','东北'] AS region,
       regexp_split_to_array('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈', '') AS surname,
       regexp_split_to_array('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞宇浩然晨阳欣怡佳琪子涵雨轩', '') AS given`,
    // unique names: a permutation of the 40*60*60*25 = 3.6M combinations (7919 is coprime with it)
    `INSERT INTO customer (id, name, name_key, status, owner_id, claimed_at, phone, phone_key, email, address, website,
                           industry, level, source, region, notes, created_by_id, created_at, updated_at, version)
     SELECT c, base || w.suffix[1 + c % 6], base,
            CASE WHEN c % 5 = 0 THEN 'IN_POOL' ELSE 'OWNED' END,
            CASE WHEN c % 5 = 0 THEN NULL ELSE 12 + (c / 5) % 90 END,
            CASE WHEN c % 5 = 0 THEN NULL ELSE created + interval '1 day' END,
            '1' || (ARRAY['35','36','37','38','39','50','58','86','88'])[1 + c % 9] || lpad(((c * 7919) % 100000000)::text, 8, '0'),
            '1' || (ARRAY['35','36','37','38','39','50','58','86','88'])[1 + c % 9] || lpad(((c * 7919) % 100000000)::text, 8, '0'),
            'info' || c || '@example.cn',
            w.city[1 + k % 40] || '市' || (ARRAY['人民路','解放路','中山路','建设路','和平路'])[1 + c % 5] || (1 + c % 999) || '号',
            'https://www.c' || c || '.example.cn',
            w.industry[1 + c % 10], (ARRAY['A','B','C','D'])[1 + c % 4], w.source[1 + c % 6], w.region[1 + c % 7],
            CASE WHEN c % 3 = 0 THEN '重点客户，' || substr(md5('n' || c), 1, 12) ELSE NULL END,
            ${creator}, created, created + (c % 97) * interval '1 day' + (c % 1440) * interval '1 minute', 1 + c % 7
     FROM w, generate_series(1, ${n}) c,
          LATERAL (SELECT (c::bigint * 7919) % 3600000 AS k) kk,
          LATERAL (SELECT w.city[1 + k % 40] || w.brand[1 + (k / 40) % 60] || w.brand[1 + (k / 2400) % 60] || w.trade[1 + (k / 144000) % 25] AS base,
                          timestamptz '2023-01-01 00:00:00+00' + c * interval '7 minutes' AS created) b`,
    `INSERT INTO customer_share (customer_id, user_id, created_by_id, created_at)
     SELECT c.id, 12 + (c.owner_id - 12 + 1 + c.id % 7) % 90, c.owner_id, c.claimed_at
     FROM customer c WHERE c.owner_id IS NOT NULL AND c.id % 4 = 1`,
    `INSERT INTO contact (id, customer_id, name, title, department, mobile, phone, email, im_handle, gender, birthday,
                          is_primary, created_by_id, created_at, updated_at)
     SELECT (c - 1) * 3 + j, c,
            w.surname[1 + (c * 3 + j) % array_length(w.surname, 1)] || w.given[1 + (c * 7 + j) % array_length(w.given, 1)] ||
              CASE WHEN (c + j) % 5 < 3 THEN w.given[1 + (c * 11 + j * 3) % array_length(w.given, 1)] ELSE '' END,
            (ARRAY['总经理','技术总监','采购经理','工程师','财务经理'])[1 + (c + j) % 5],
            (ARRAY['总经办','技术部','采购部','研发部','财务部'])[1 + (c + j) % 5],
            '13' || (j + 5) || lpad(((c * 3 + j) % 100000000)::text, 8, '0'),
            CASE WHEN j = 2 THEN '010-' || lpad(((c * 13) % 100000000)::text, 8, '0') ELSE NULL END,
            'contact' || c || '.' || j || '@example.cn',
            CASE WHEN j = 1 THEN 'wx_' || c ELSE NULL END,
            CASE WHEN (c + j) % 2 = 0 THEN 'MALE' ELSE 'FEMALE' END,
            date '1970-01-01' + ((c * 37 + j) % 12000),
            j = 1, ${creator},
            timestamptz '2023-01-02 00:00:00+00' + c * interval '7 minutes' + j * interval '1 hour',
            timestamptz '2023-01-02 00:00:00+00' + c * interval '7 minutes' + j * interval '1 hour'
     FROM w, generate_series(1, ${n}) c, generate_series(1, 3) j`,
    `INSERT INTO contact_relation (id, customer_id, contact_id, related_contact_id, relationship, person_name, organization,
                                   position, phone, created_by_id, created_at, updated_at)
     SELECT k, (k - 1) / 3 + 1, k, NULL,
            (ARRAY['SPOUSE','RELATIVE','FRIEND','CLASSMATE','FORMER_COLLEAGUE','COLLEAGUE','OTHER'])[1 + k % 7],
            w.surname[1 + (k * 5) % array_length(w.surname, 1)] || w.given[1 + (k * 3) % array_length(w.given, 1)],
            w.city[1 + k % 40] || '第' || (1 + k % 9) || '中学', (ARRAY['校长','处长','经理','主任'])[1 + k % 4],
            '139' || lpad((k % 100000000)::text, 8, '0'), 1,
            timestamptz '2023-02-01 00:00:00+00' + k * interval '3 minutes',
            timestamptz '2023-02-01 00:00:00+00' + k * interval '3 minutes'
     FROM w, generate_series(1, ${n} * 3) k`,
    `INSERT INTO interaction (id, customer_id, contact_id, type, occurred_at, subject, content, next_follow_up_at,
                              created_by_id, created_at, updated_at)
     SELECT (c - 1) * 20 + j, c, (c - 1) * 3 + 1 + j % 3,
            (ARRAY['VISIT','CALL','EMAIL','MEETING','MESSAGE','OTHER'])[1 + (c + j) % 6], t,
            (ARRAY['电话沟通','上门拜访','发送报价','技术交流','商务洽谈'])[1 + (c + j) % 5] || ' 第' || j || '次',
            '与客户' || c || '沟通需求：' || md5(c || ':' || j) || '，下周跟进',
            CASE WHEN j % 4 = 0 THEN t + interval '7 days' ELSE NULL END, ${creator}, t, t
     FROM generate_series(1, ${n}) c, generate_series(1, 20) j,
          LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + c * interval '11 minutes' + j * interval '3 days' AS t) tt`,
    `INSERT INTO quote (id, customer_id, number, title, quote_date, valid_until, currency, status, subtotal, total,
                        created_by_id, created_at, updated_at)
     SELECT (c - 1) * 2 + j, c, 'Q2025-' || lpad(((c - 1) * 2 + j)::text, 6, '0'), '报价单 ' || j,
            date '2025-01-01' + (c % 300), date '2025-01-01' + (c % 300) + 30, 'CNY',
            (ARRAY['DRAFT','SENT','ACCEPTED','REJECTED','EXPIRED'])[1 + (c + j) % 5], 0, 0, ${creator},
            timestamptz '2025-01-01 00:00:00+00' + c * interval '2 minutes' + j * interval '1 day',
            timestamptz '2025-01-01 00:00:00+00' + c * interval '2 minutes' + j * interval '1 day'
     FROM generate_series(1, ${n}) c, generate_series(1, 2) j`,
    `INSERT INTO quote_item (id, quote_id, position, product, specification, quantity, unit, unit_price, discount, line_total)
     SELECT (q - 1) * 2 + p, q, p, (ARRAY['服务器','维保服务','软件许可','实施服务','培训'])[1 + (q + p) % 5],
            CASE WHEN p = 1 THEN '标准配置' ELSE NULL END, qty, (ARRAY['台','年','套','人天','次'])[1 + (q + p) % 5], price, disc,
            round(qty * price * (1 - disc), 2)
     FROM generate_series(1, ${n} * 2) q, generate_series(1, 2) p,
          LATERAL (SELECT (1 + (q + p) % 5)::numeric(18,4) AS qty, (1000 + (q * 37 + p * 1013) % 50000)::numeric(18,4) AS price,
                          (CASE WHEN (q + p) % 3 = 0 THEN 0.1 ELSE 0 END)::numeric(5,4) AS disc) v`,
    `UPDATE quote SET subtotal = s.t, total = s.t
     FROM (SELECT quote_id, sum(line_total) AS t FROM quote_item GROUP BY quote_id) s WHERE s.quote_id = quote.id`,
    `INSERT INTO contract (id, customer_id, number, title, source_quote_id, signed_date, start_date, end_date, amount, currency,
                           status, created_by_id, created_at, updated_at)
     SELECT c, c, 'C2025-' || lpad(c::text, 6, '0'), '年度采购合同', (c - 1) * 2 + 1,
            date '2025-02-01' + (c % 200), date '2025-02-01' + (c % 200), date '2026-02-01' + (c % 200),
            round((30000 + (c * 53) % 900000)::numeric, 2), 'CNY', 'ACTIVE', ${creator},
            timestamptz '2025-02-01 00:00:00+00' + c * interval '2 minutes', timestamptz '2025-02-01 00:00:00+00' + c * interval '2 minutes'
     FROM generate_series(1, ${n}) c`,
    `INSERT INTO receivable (id, customer_id, contract_id, amount, due_date, created_by_id, created_at, updated_at)
     SELECT c, c, c, round((10000 + (c * 53) % 90000)::numeric, 2), date '2025-06-01' + (c % 400), ${creator},
            timestamptz '2025-02-02 00:00:00+00' + c * interval '2 minutes', timestamptz '2025-02-02 00:00:00+00' + c * interval '2 minutes'
     FROM generate_series(1, ${n}) c`,
    `INSERT INTO receipt (id, customer_id, contract_id, receivable_id, amount, received_on, method, reference,
                          created_by_id, created_at, updated_at)
     SELECT (c - 1) * 2 + j, c, c, c, round(((10000 + (c * 53) % 90000) / 4.0)::numeric, 2), date '2025-03-01' + (c % 200) + j * 10,
            (ARRAY['BANK_TRANSFER','CASH','CHEQUE','ALIPAY','WECHAT_PAY','OTHER'])[1 + (c + j) % 6], 'REF-' || c || '-' || j, ${creator},
            timestamptz '2025-03-01 00:00:00+00' + c * interval '2 minutes' + j * interval '10 days',
            timestamptz '2025-03-01 00:00:00+00' + c * interval '2 minutes' + j * interval '10 days'
     FROM generate_series(1, ${n}) c, generate_series(1, 2) j`,
    // what the server's own rules and triggers keep (src/interactions/follow-up.ts, the owner name)
    `UPDATE customer c
     SET last_interaction_at = s.last_at,
         next_follow_up_at = (SELECT min(i.next_follow_up_at) FROM interaction i
                              WHERE i.customer_id = c.id AND i.deleted_at IS NULL AND i.next_follow_up_at > s.last_at),
         owner_name = (SELECT u.name FROM app_user u WHERE u.id = c.owner_id)
     FROM (SELECT customer_id, max(occurred_at) AS last_at FROM interaction WHERE deleted_at IS NULL GROUP BY customer_id) s
     WHERE s.customer_id = c.id`,
    `INSERT INTO document_counter (kind, year, last_number) VALUES ('QUOTE', 2025, ${n * 2}), ('CONTRACT', 2025, ${n})
     ON CONFLICT DO NOTHING`,
    `SET session_replication_role = origin`,
    ...['app_user', 'customer', 'contact', 'contact_relation', 'interaction', 'quote', 'quote_item', 'contract', 'receivable', 'receipt'].map(
      (t) => `SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`,
    ),
  ];
}
