INSERT INTO users (id, name) VALUES ($1, $2);
INSERT INTO users (id, name, created) VALUES (1, 'a', now()), (2, 'b', DEFAULT), (-3, NULL, '2024-01-01'::date);
INSERT INTO archive SELECT * FROM events WHERE ts < $1;
INSERT INTO audit.log AS l (msg) VALUES ('x') RETURNING l.id;
INSERT INTO t DEFAULT VALUES;
