/* Fixture: compressed/sev.c with a backported feature check. */
static int keep_before(void)
{
	return 0;
}

/*
 * keep_after - stays
 */
static int keep_after(void)
{
	return 1;
}
