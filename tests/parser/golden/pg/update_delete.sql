UPDATE accounts SET balance = balance - $2 WHERE id = $1;
UPDATE orders o SET status = 'paid' FROM payments p WHERE p.order_id = o.id AND p.id = 7;
UPDATE ONLY parent SET x = 1 WHERE id IN (1, 2, 3) RETURNING *;
DELETE FROM sessions WHERE expires_at < now();
DELETE FROM a USING b WHERE a.id = b.id AND b.flag;
MERGE INTO stock s USING deliveries d ON s.item = d.item WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty);
