SELECT id, name FROM users WHERE id = ?;
select * from `shop`.`orders` o where o.customer_id = ? and o.status in ('new', "paid") order by o.created_at desc limit 20, 10;
SELECT COUNT(*) AS n, MAX(total) FROM orders GROUP BY customer_id HAVING n > 1 LIMIT 5 OFFSET 10;
SELECT * FROM t FORCE INDEX (idx_a) WHERE a = 'it\'s' # trailing comment
;
SELECT * FROM t1 STRAIGHT_JOIN t2 ON t1.a = t2.a WHERE t1.b = -5;
SELECT * FROM accounts WHERE id = 1 FOR UPDATE;
SELECT * FROM accounts WHERE id = 1 LOCK IN SHARE MODE;
SELECT GET_LOCK('job', 10);
SELECT LAST_INSERT_ID();
SELECT a INTO @x FROM t LIMIT 1;
SELECT * FROM t INTO OUTFILE '/tmp/t.txt';
SELECT /*!40001 SQL_NO_CACHE */ * FROM big;
/*!50001 SELECT * FROM versioned */;
SELECT * FROM t WHERE a = 0x1F AND b = b'101' AND c = _utf8mb4'x' AND d = @var;
SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 10;
SELECT FOUND_ROWS();
