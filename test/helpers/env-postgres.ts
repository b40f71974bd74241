// Selected by the jest project: integration tests run on the PostgreSQL server of TEST_DATABASE_URL.
process.env.QM_TEST_DRIVER = 'postgres';
