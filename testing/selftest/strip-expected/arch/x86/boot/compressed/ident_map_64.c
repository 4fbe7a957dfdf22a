void initialize_identity_maps(void *rmode)
{
	write_cr3(top_level_pgt);
}
