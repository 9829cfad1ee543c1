/* switchyard: primary */ SELECT * FROM users WHERE id = 1;
SELECT /* switchyard: shard=eu-2 */ * FROM users WHERE id = 2;
-- switchyard: max_lag=250ms
SELECT 1;
/* switchyard: primary, max_lag=2s */ SELECT 2;
/* an ordinary comment */ SELECT 3;
FROBNICATE the database;
REPLACE INTO t VALUES (1);
