-- Runs once, on the first start against an empty database: Flyway records it, so restarts keep
-- what users wrote (and deleted).
INSERT INTO post (title, content) VALUES
    ('Hello from springwsgi', 'Flask, Django and Java endpoints, one service, one database.'),
    ('Python calls Spring', 'The Python apps read and write these posts through import spring.'),
    ('PostgreSQL everywhere', 'Embedded when no spring.datasource.url is set, yours when it is.');

INSERT INTO comment (post_id, content)
SELECT id, 'First!' FROM post WHERE title = 'Hello from springwsgi'
UNION ALL
SELECT id, 'Same JVM, no HTTP hop.' FROM post WHERE title = 'Hello from springwsgi'
UNION ALL
SELECT id, 'spring.beans.blogService.listPosts() returns plain lists and dicts.' FROM post WHERE title = 'Python calls Spring'
UNION ALL
SELECT id, 'It starts in seconds and needs nothing installed.' FROM post WHERE title = 'PostgreSQL everywhere';
