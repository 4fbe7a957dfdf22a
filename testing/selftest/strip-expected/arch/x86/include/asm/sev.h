#ifdef CONFIG_AMD_MEM_ENCRYPT
u64 sev_get_status(void);
#else
static inline u64 sev_get_status(void) { return 0; }
#endif
