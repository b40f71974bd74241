// Selected by the jest project: integration tests run on PGlite.
process.env.QM_TEST_DRIVER = 'pglite';
