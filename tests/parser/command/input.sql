/* switchyard: primary */ SELECT * FROM users WHERE id = 1;
BEGIN; UPDATE accounts SET balance = 0 WHERE id = $1; COMMIT;
