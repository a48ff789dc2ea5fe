-- The one-statement baseline of the bench (npm run bench), taken over from the shared peer comparison
-- kit (bench/project/raw-page.sql) unchanged: the kit compares its JSON with the server's, object by object.
-- The project's CustomersOverview page for an ADMIN, view ALL, default order (updatedAt DESC), as ONE
-- statement returning the whole `data` object as JSON text (LATERAL + json_agg/json_build_object).
-- Same objects, keys and values as the project's server (compare.js checks it), for the variables
--   first=$1 contactsFirst=$2 relationsFirst=$3 interactionsFirst=$4 quotesFirst=$5
--   contractsFirst=$6 paymentsFirst=$7 attachmentsFirst=$8
-- Viewer-dependent parts are written for an ADMIN (sees everything, nothing masked, allowedActions
-- by status). Helpers bench.gid/iso/dec/b64url: raw-helpers.sql.
WITH page AS MATERIALIZED (
  SELECT cu.* FROM customer cu
  WHERE cu.status <> 'ARCHIVED'
  ORDER BY cu.updated_at DESC, cu.id DESC
  LIMIT $1 + 1
), today AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d)
SELECT json_build_object('customers', json_build_object(
  'totalCount', (SELECT count(*)::int FROM customer c WHERE c.status <> 'ARCHIVED'),
  'pageInfo', (SELECT json_build_object(
      'hasNextPage', count(*) > $1, 'hasPreviousPage', false,
      'startCursor', bench.b64url('["customers:ALL:UPDATED_AT.DESC","' || (array_agg(p.updated_at::text ORDER BY p.updated_at DESC, p.id DESC))[1] || '","' || (array_agg(p.id ORDER BY p.updated_at DESC, p.id DESC))[1] || '"]'),
      'endCursor', bench.b64url('["customers:ALL:UPDATED_AT.DESC","' || (array_agg(p.updated_at::text ORDER BY p.updated_at DESC, p.id DESC))[least(count(*), $1)] || '","' || (array_agg(p.id ORDER BY p.updated_at DESC, p.id DESC))[least(count(*), $1)] || '"]'))
    FROM page p),
  'nodes', coalesce((SELECT json_agg(n.obj ORDER BY n.updated_at DESC, n.id DESC) FROM (
    SELECT cu.id, cu.updated_at, json_build_object(
      'id', bench.gid('Customer', cu.id), 'name', cu.name, 'status', cu.status, 'phone', cu.phone, 'email', cu.email,
      'address', cu.address, 'website', cu.website, 'industry', cu.industry, 'level', cu.level, 'source', cu.source,
      'region', cu.region, 'notes', cu.notes, 'masked', false, 'claimedAt', bench.iso(cu.claimed_at),
      'archivedAt', bench.iso(cu.archived_at), 'version', cu.version, 'createdAt', bench.iso(cu.created_at),
      'updatedAt', bench.iso(cu.updated_at),
      'owner', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = cu.owner_id),
      'createdBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = cu.created_by_id),
      'sharedWith', coalesce((SELECT json_agg(json_build_object('id', bench.gid('User', u.id), 'name', u.name) ORDER BY u.name, u.id)
                              FROM customer_share s JOIN app_user u ON u.id = s.user_id WHERE s.customer_id = cu.id), '[]'),
      'allowedActions', CASE cu.status WHEN 'OWNED' THEN json_build_array('ASSIGN', 'RECLAIM', 'SHARE', 'EDIT')
                                       WHEN 'IN_POOL' THEN json_build_array('CLAIM', 'ASSIGN', 'EDIT', 'ARCHIVE')
                                       ELSE json_build_array() END,
      'lastInteractionAt', bench.iso(cu.last_interaction_at), 'nextFollowUpAt', bench.iso(cu.next_follow_up_at),
      'contacts', json_build_object(
        'totalCount', (SELECT count(*)::int FROM contact ct WHERE ct.customer_id = cu.id AND ct.deleted_at IS NULL),
        'nodes', coalesce((SELECT json_agg(json_build_object(
            'id', bench.gid('Contact', ct.id), 'name', ct.name, 'title', ct.title, 'department', ct.department,
            'mobile', ct.mobile, 'phone', ct.phone, 'email', ct.email, 'imHandle', ct.im_handle, 'gender', ct.gender,
            'birthday', ct.birthday, 'address', ct.address, 'notes', ct.notes, 'isPrimary', ct.is_primary, 'masked', false,
            'version', ct.version, 'createdAt', bench.iso(ct.created_at), 'updatedAt', bench.iso(ct.updated_at),
            'createdBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = ct.created_by_id),
            'customer', json_build_object('id', bench.gid('Customer', cu.id)),
            'relations', json_build_object(
              'totalCount', (SELECT count(*)::int FROM contact_relation r
                             WHERE r.deleted_at IS NULL AND (r.contact_id = ct.id OR r.related_contact_id = ct.id)),
              'edges', coalesce((SELECT json_agg(json_build_object(
                  'cursor', bench.b64url('["relations","' || rel.id || '"]'),
                  'direction', rel.direction,
                  'counterpart', (SELECT json_build_object('id', bench.gid('Contact', o.id), 'name', o.name, 'mobile', o.mobile)
                                  FROM contact o WHERE o.id = CASE rel.direction WHEN 'OUTGOING' THEN rel.related_contact_id ELSE rel.contact_id END),
                  'node', json_build_object(
                    'id', bench.gid('ContactRelation', rel.id), 'relationship', rel.relationship, 'personName', rel.person_name,
                    'organization', rel.organization, 'position', rel.position, 'phone', rel.phone, 'notes', rel.notes,
                    'masked', false, 'version', rel.version, 'createdAt', bench.iso(rel.created_at), 'updatedAt', bench.iso(rel.updated_at),
                    'createdBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = rel.created_by_id),
                    'contact', (SELECT json_build_object('id', bench.gid('Contact', o.id), 'name', o.name) FROM contact o WHERE o.id = rel.contact_id),
                    'relatedContact', (SELECT json_build_object('id', bench.gid('Contact', o.id), 'name', o.name) FROM contact o WHERE o.id = rel.related_contact_id)))
                  ORDER BY rel.id)
                FROM (SELECT * FROM (
                        SELECT r.*, 'OUTGOING' AS direction FROM contact_relation r WHERE r.contact_id = ct.id AND r.deleted_at IS NULL
                        UNION ALL
                        SELECT r.*, 'INCOMING' AS direction FROM contact_relation r WHERE r.related_contact_id = ct.id AND r.deleted_at IS NULL) r2
                      ORDER BY r2.id LIMIT $3) rel), '[]')))
            ORDER BY ct.is_primary DESC, ct.name, ct.id)
          FROM (SELECT * FROM contact ct WHERE ct.customer_id = cu.id AND ct.deleted_at IS NULL
                ORDER BY (ct.is_primary::int) DESC, ct.name, ct.id LIMIT $2) ct), '[]')),
      'interactions', json_build_object(
        'totalCount', (SELECT count(*)::int FROM interaction i WHERE i.customer_id = cu.id AND i.deleted_at IS NULL),
        'nodes', coalesce((SELECT json_agg(json_build_object(
            'id', bench.gid('Interaction', i.id), 'type', i.type, 'occurredAt', bench.iso(i.occurred_at), 'subject', i.subject,
            'content', i.content, 'nextFollowUpAt', bench.iso(i.next_follow_up_at), 'version', i.version,
            'createdAt', bench.iso(i.created_at), 'updatedAt', bench.iso(i.updated_at),
            'author', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = i.created_by_id),
            'contact', (SELECT json_build_object('id', bench.gid('Contact', o.id), 'name', o.name) FROM contact o WHERE o.id = i.contact_id),
            'customer', json_build_object('id', bench.gid('Customer', cu.id), 'lastInteractionAt', bench.iso(cu.last_interaction_at),
                                          'nextFollowUpAt', bench.iso(cu.next_follow_up_at)))
            ORDER BY i.occurred_at DESC, i.id DESC)
          FROM (SELECT * FROM interaction i WHERE i.customer_id = cu.id AND i.deleted_at IS NULL
                ORDER BY i.occurred_at DESC, i.id DESC LIMIT $4) i), '[]')),
      'quotes', json_build_object(
        'totalCount', (SELECT count(*)::int FROM quote q WHERE q.customer_id = cu.id AND q.deleted_at IS NULL),
        'nodes', coalesce((SELECT json_agg(json_build_object(
            'id', bench.gid('Quote', q.id), 'number', q.number, 'title', q.title, 'quoteDate', q.quote_date,
            'validUntil', q.valid_until, 'currency', q.currency, 'status', q.status, 'notes', q.notes,
            'subtotal', q.subtotal::text, 'total', q.total::text, 'version', q.version,
            'createdAt', bench.iso(q.created_at), 'updatedAt', bench.iso(q.updated_at),
            'createdBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = q.created_by_id),
            'items', coalesce((SELECT json_agg(json_build_object(
                'id', bench.gid('QuoteItem', it.id), 'position', it.position, 'product', it.product,
                'specification', it.specification, 'quantity', bench.dec(it.quantity, 0), 'unit', it.unit,
                'unitPrice', bench.dec(it.unit_price, 2), 'discount', bench.dec(it.discount, 0), 'lineTotal', it.line_total::text)
                ORDER BY it.position) FROM quote_item it WHERE it.quote_id = q.id), '[]'),
            'contract', (SELECT json_build_object('id', bench.gid('Contract', k.id), 'number', k.number)
                         FROM contract k WHERE k.source_quote_id = q.id AND k.deleted_at IS NULL))
            ORDER BY q.created_at DESC, q.id DESC)
          FROM (SELECT * FROM quote q WHERE q.customer_id = cu.id AND q.deleted_at IS NULL
                ORDER BY q.created_at DESC, q.id DESC LIMIT $5) q), '[]')),
      'contracts', json_build_object(
        'totalCount', (SELECT count(*)::int FROM contract k WHERE k.customer_id = cu.id AND k.deleted_at IS NULL),
        'nodes', coalesce((SELECT json_agg(json_build_object(
            'id', bench.gid('Contract', k.id), 'number', k.number, 'title', k.title, 'signedDate', k.signed_date,
            'startDate', k.start_date, 'endDate', k.end_date, 'amount', k.amount::text, 'currency', k.currency,
            'status', k.status, 'notes', k.notes, 'version', k.version,
            'createdAt', bench.iso(k.created_at), 'updatedAt', bench.iso(k.updated_at),
            'createdBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = k.created_by_id),
            'sourceQuote', (SELECT json_build_object('id', bench.gid('Quote', q.id), 'number', q.number) FROM quote q WHERE q.id = k.source_quote_id),
            'totals', json_build_object('currency', k.currency, 'amount', k.amount::text, 'received', kt.received::text,
                                        'outstanding', (k.amount - kt.received)::text,
                                        'overdue', least(kt.late, k.amount - kt.received)::text),
            'receivables', json_build_object(
              'totalCount', (SELECT count(*)::int FROM receivable x WHERE x.contract_id = k.id AND x.deleted_at IS NULL),
              'nodes', coalesce((SELECT json_agg(json_build_object(
                  'id', bench.gid('Receivable', x.id), 'amount', x.amount::text, 'dueDate', x.due_date, 'notes', x.notes,
                  'received', xr.received::text, 'outstanding', (x.amount - xr.received)::text,
                  'status', CASE WHEN xr.received >= x.amount THEN 'RECEIVED' WHEN x.due_date < (SELECT d FROM today) THEN 'OVERDUE'
                                 WHEN xr.received > 0 THEN 'PARTLY_RECEIVED' ELSE 'OUTSTANDING' END,
                  'version', x.version, 'createdAt', bench.iso(x.created_at), 'updatedAt', bench.iso(x.updated_at),
                  'createdBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = x.created_by_id))
                  ORDER BY x.due_date, x.id)
                FROM (SELECT * FROM receivable x WHERE x.contract_id = k.id AND x.deleted_at IS NULL ORDER BY x.due_date, x.id LIMIT $7) x
                CROSS JOIN LATERAL (SELECT coalesce(sum(p.amount), 0.00)::numeric(18,2) AS received FROM receipt p
                                    WHERE p.receivable_id = x.id AND p.deleted_at IS NULL) xr), '[]')),
            'receipts', json_build_object(
              'totalCount', (SELECT count(*)::int FROM receipt p WHERE p.contract_id = k.id AND p.deleted_at IS NULL),
              'nodes', coalesce((SELECT json_agg(json_build_object(
                  'id', bench.gid('Receipt', p.id), 'amount', p.amount::text, 'receivedOn', p.received_on, 'method', p.method,
                  'reference', p.reference, 'notes', p.notes, 'version', p.version,
                  'createdAt', bench.iso(p.created_at), 'updatedAt', bench.iso(p.updated_at),
                  'createdBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = p.created_by_id),
                  'receivable', CASE WHEN p.receivable_id IS NULL THEN NULL ELSE json_build_object('id', bench.gid('Receivable', p.receivable_id)) END)
                  ORDER BY p.received_on DESC, p.id DESC)
                FROM (SELECT * FROM receipt p WHERE p.contract_id = k.id AND p.deleted_at IS NULL
                      ORDER BY p.received_on DESC, p.id DESC LIMIT $7) p), '[]')))
            ORDER BY k.created_at DESC, k.id DESC)
          FROM (SELECT * FROM contract k WHERE k.customer_id = cu.id AND k.deleted_at IS NULL
                ORDER BY k.created_at DESC, k.id DESC LIMIT $6) k
          CROSS JOIN LATERAL (
            SELECT (SELECT coalesce(sum(p.amount), 0.00)::numeric(18,2) FROM receipt p WHERE p.contract_id = k.id AND p.deleted_at IS NULL) AS received,
                   (SELECT coalesce(sum(greatest(r.amount - coalesce((SELECT sum(p.amount) FROM receipt p WHERE p.receivable_id = r.id AND p.deleted_at IS NULL), 0), 0)), 0)
                    FROM receivable r WHERE r.contract_id = k.id AND r.deleted_at IS NULL AND r.due_date < (SELECT d FROM today)) AS late) kt), '[]')),
      'moneyTotals', coalesce((SELECT json_agg(json_build_object(
          'currency', t.currency, 'contractCount', t.n, 'contracted', t.contracted::text, 'received', t.received::text,
          'outstanding', t.outstanding::text, 'overdue', t.overdue::text) ORDER BY t.currency)
        FROM (SELECT k.currency, count(*)::int AS n, sum(k.amount) AS contracted, sum(kt.received) AS received,
                     sum(k.amount - kt.received) AS outstanding, sum(least(kt.late, k.amount - kt.received)) AS overdue
              FROM contract k
              CROSS JOIN LATERAL (
                SELECT (SELECT coalesce(sum(p.amount), 0.00)::numeric(18,2) FROM receipt p WHERE p.contract_id = k.id AND p.deleted_at IS NULL) AS received,
                       (SELECT coalesce(sum(greatest(r.amount - coalesce((SELECT sum(p.amount) FROM receipt p WHERE p.receivable_id = r.id AND p.deleted_at IS NULL), 0), 0)), 0)
                        FROM receivable r WHERE r.contract_id = k.id AND r.deleted_at IS NULL AND r.due_date < (SELECT d FROM today)) AS late) kt
              WHERE k.customer_id = cu.id AND k.deleted_at IS NULL GROUP BY k.currency) t), '[]'),
      'attachments', json_build_object(
        'totalCount', (SELECT count(*)::int FROM attachment a WHERE a.customer_id = cu.id AND a.deleted_at IS NULL),
        'nodes', coalesce((SELECT json_agg(json_build_object(
            'id', bench.gid('Attachment', a.id), 'fileName', a.file_name, 'contentType', a.content_type, 'size', a.size,
            'sha256', a.sha256, 'recordType', a.record_type, 'version', a.version,
            'createdAt', bench.iso(a.created_at), 'updatedAt', bench.iso(a.updated_at),
            'downloadUrl', '/attachments/' || bench.gid('Attachment', a.id),
            'uploadedBy', (SELECT json_build_object('id', bench.gid('User', u.id), 'name', u.name) FROM app_user u WHERE u.id = a.uploaded_by_id),
            'record', json_build_object('__typename', a.record_type, 'id', bench.gid(a.record_type, a.record_id)))
            ORDER BY a.created_at DESC, a.id DESC)
          FROM (SELECT * FROM attachment a WHERE a.customer_id = cu.id AND a.deleted_at IS NULL
                ORDER BY a.created_at DESC, a.id DESC LIMIT $8) a), '[]'))
    ) AS obj
    FROM (SELECT * FROM page ORDER BY updated_at DESC, id DESC LIMIT $1) cu
  ) n), '[]')
))::text AS data
