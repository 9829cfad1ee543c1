INSERT INTO counters (k, v) VALUES ($1, 1) ON CONFLICT (k) DO UPDATE SET v = counters.v + 1;
INSERT INTO tags (name) VALUES ('a') ON CONFLICT DO NOTHING;
