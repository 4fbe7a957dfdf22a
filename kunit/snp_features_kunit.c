// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for SEV-SNP feature negotiation: the decision which
 * SEV_FEATURES a guest cannot run with (snp_get_unsupported_features(),
 * used by the decompressor, the EFI stub and the kernel proper) and the
 * encoding of the termination request that reports them.
 *
 * Expected values come from a model written here from the AMD APM and the
 * GHCB specification, not from the kernel's own masks.
 */

#include <kunit/test.h>
#include <linux/bits.h>
#include <asm/sev.h>
#include <asm/svm.h>

/* SEV_STATUS bit 2: SEV-SNP is active. */
#define MODEL_SNP_ACTIVE	BIT_ULL(2)

enum model_need {
	MODE,		/* SEV mode bit, not a feature */
	GUEST,		/* works only if the guest implements it */
	HOST,		/* changes only what the host or hardware does */
	RESERVED,	/* no known meaning: must count as unsupported */
};

static const struct model_bits {
	unsigned int lo, hi;
	const char *name;
	enum model_need need;
} model_bits[] = {
	{  0,  0, "SEV",                 MODE },
	{  1,  1, "SEV-ES",              MODE },
	{  2,  2, "SEV-SNP",             MODE },
	{  3,  3, "vTOM",                GUEST },
	{  4,  4, "ReflectVC",           GUEST },
	{  5,  5, "RestrictedInjection", GUEST },
	{  6,  6, "AlternateInjection",  GUEST },
	{  7,  7, "DebugVirtualization", GUEST },
	{  8,  8, "PreventHostIBS",      HOST },
	{  9,  9, "BTBIsolation",        HOST },
	{ 10, 10, "VmplSSS",             GUEST },
	{ 11, 11, "SecureTSC",           GUEST },
	{ 12, 12, "VmgexitParameter",    GUEST },
	{ 13, 13, "reserved",            RESERVED },
	{ 14, 14, "IbsVirtualization",   HOST },
	{ 15, 15, "reserved",            RESERVED },
	{ 16, 16, "VmsaRegProt",         GUEST },
	{ 17, 17, "SmtProtection",       HOST },
	{ 18, 18, "SecureAVIC",          GUEST },
	{ 19, 22, "reserved",            RESERVED },
	{ 23, 23, "IbpbOnEntry",         HOST },
	{ 24, 63, "reserved",            RESERVED },
};

static const struct model_bits *model_bit(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(model_bits); i++)
		if (bit >= model_bits[i].lo && bit <= model_bits[i].hi)
			return &model_bits[i];
	return NULL;
}

static u64 model_mask(enum model_need need)
{
	u64 mask = 0;
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if (model_bit(bit)->need == need)
			mask |= BIT_ULL(bit);
	return mask;
}

static u64 model_required(void)
{
	return model_mask(GUEST) | model_mask(RESERVED);
}

/*
 * The features this kernel implements, by SEV_STATUS bit, each only when
 * the Kconfig option its guest code depends on is enabled. When the kernel
 * implements another feature, add it here as well.
 */
static u64 model_implemented(void)
{
	u64 implemented = BIT_ULL(7) | BIT_ULL(11);	/* DebugVirtualization, SecureTSC */

	if (IS_ENABLED(CONFIG_AMD_SECURE_AVIC))
		implemented |= BIT_ULL(18);		/* SecureAVIC */
	return implemented;
}

static u64 model_unsupported(u64 status)
{
	if (!(status & MODEL_SNP_ACTIVE))
		return 0;
	return status & model_required() & ~model_implemented();
}

static void snp_features_model_is_complete(struct kunit *test)
{
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		KUNIT_ASSERT_NOT_NULL_MSG(test, model_bit(bit), "bit %u", bit);
	/* What a kernel implements is a feature that needs the guest. */
	KUNIT_EXPECT_EQ(test, model_implemented() & ~model_mask(GUEST), 0ULL);
}

/* Every SEV_STATUS bit, one test case each. */
static const unsigned int bit_params[] = {
	 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
	32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
	48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
};

static void bit_desc(const unsigned int *bit, char *desc)
{
	const struct model_bits *b = model_bit(*bit);

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "bit %u %s", *bit, b ? b->name : "not in the model");
}

KUNIT_ARRAY_PARAM(bit, bit_params, bit_desc);

/* Every bit on its own, with SEV-SNP active and not. */
static void snp_features_single_bit(struct kunit *test)
{
	unsigned int bit = *(const unsigned int *)test->param_value;
	const struct model_bits *b = model_bit(bit);
	enum model_need need;
	u64 on = MODEL_SNP_ACTIVE | BIT_ULL(bit);
	u64 off = BIT_ULL(bit) & ~MODEL_SNP_ACTIVE;
	u64 want;

	KUNIT_ASSERT_NOT_NULL_MSG(test, b, "bit %u is not in the model", bit);
	need = b->need;
	want = (need == GUEST || need == RESERVED) &&
	       !(model_implemented() & BIT_ULL(bit)) ? BIT_ULL(bit) : 0;

	KUNIT_EXPECT_EQ_MSG(test, snp_get_unsupported_features(on), want,
			    "SNP active, status %#llx", on);
	KUNIT_EXPECT_EQ(test, snp_get_unsupported_features(on), model_unsupported(on));
	KUNIT_EXPECT_EQ_MSG(test, snp_get_unsupported_features(off), 0ULL,
			    "SNP not active, status %#llx", off);
}

/* Without SEV-SNP there is no verdict, whatever else is set. */
static void snp_features_no_snp_no_verdict(struct kunit *test)
{
	u64 features = ~GENMASK_ULL(2, 0);
	static const u64 modes[] = {
		0, BIT_ULL(0), BIT_ULL(0) | BIT_ULL(1), BIT_ULL(1),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		KUNIT_EXPECT_EQ_MSG(test, snp_get_unsupported_features(modes[i]), 0ULL,
				    "status %#llx", modes[i]);
		KUNIT_EXPECT_EQ_MSG(test, snp_get_unsupported_features(modes[i] | features),
				    0ULL, "status %#llx", modes[i] | features);
	}
}

/* Bits without a known meaning count as unsupported: fail closed. */
static void snp_features_reserved_fail_closed(struct kunit *test)
{
	u64 reserved = model_mask(RESERVED);

	KUNIT_EXPECT_EQ(test, snp_get_unsupported_features(MODEL_SNP_ACTIVE | reserved),
			reserved);
	KUNIT_EXPECT_EQ(test, snp_get_unsupported_features(GENMASK_ULL(2, 0) | reserved),
			reserved);
}

/* All bits set: exactly what is required and not implemented. */
static void snp_features_all_bits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, snp_get_unsupported_features(~0ULL),
			model_required() & ~model_implemented());
	KUNIT_EXPECT_EQ(test, snp_get_unsupported_features(~model_required()), 0ULL);
	KUNIT_EXPECT_EQ(test, snp_get_unsupported_features(MODEL_SNP_ACTIVE |
							   model_implemented()), 0ULL);
}

/* xorshift64*: small, fast and the same on every kernel. */
static u64 prng_next(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

#define RANDOM_STATUSES	100000
#define RANDOM_SEED	0x5e5f5e5f0123abcdULL

static void snp_features_random_statuses(struct kunit *test)
{
	u64 state = RANDOM_SEED, status, got, want;
	unsigned int i, mismatches = 0;

	kunit_info(test, "%u statuses, seed %#llx\n", RANDOM_STATUSES, RANDOM_SEED);
	for (i = 0; i < RANDOM_STATUSES; i++) {
		status = prng_next(&state);
		switch (i % 4) {
		case 0:			/* dense, SNP as drawn */
			break;
		case 1:			/* dense, SNP active */
			status |= MODEL_SNP_ACTIVE;
			break;
		case 2:			/* a few bits, SNP active */
			status &= prng_next(&state) & prng_next(&state);
			status |= MODEL_SNP_ACTIVE;
			break;
		case 3:			/* host-only features, SNP active */
			status &= model_mask(HOST) | model_mask(MODE);
			status |= MODEL_SNP_ACTIVE;
			break;
		}
		got = snp_get_unsupported_features(status);
		want = model_unsupported(status);
		if (got != want && !mismatches++)
			KUNIT_FAIL(test, "status %#llx: got %#llx, want %#llx",
				   status, got, want);
	}
	KUNIT_EXPECT_EQ_MSG(test, mismatches, 0U, "of %u statuses", RANDOM_STATUSES);
}

/* The two forms of the request, as the GHCB specification lays them out. */
static void snp_features_termination_encoding(struct kunit *test)
{
	unsigned int set, code;

	KUNIT_EXPECT_EQ(test, (u64)SVM_VMGEXIT_TERM_REQUEST, 0x8000fffeULL);
	KUNIT_EXPECT_EQ(test, (u64)SVM_VMGEXIT_TERM_REASON(SEV_TERM_SET_GEN,
							   GHCB_SNP_UNSUPPORTED), 0x20ULL);
	KUNIT_EXPECT_EQ(test, (u64)(GHCB_MSR_TERM_REQ |
				    GHCB_SEV_TERM_REASON(SEV_TERM_SET_GEN, GHCB_SNP_UNSUPPORTED)),
			0x20100ULL);

	for (set = 0; set < 16; set++) {
		for (code = 0; code < 256; code++) {
			u64 msr = GHCB_MSR_TERM_REQ | GHCB_SEV_TERM_REASON(set, code);
			u64 info1 = SVM_VMGEXIT_TERM_REASON(set, code);

			if (msr != (0x100ULL | (u64)set << 12 | (u64)code << 16) ||
			    info1 != ((u64)set | (u64)code << 4)) {
				KUNIT_FAIL(test, "set %u code %u: MSR %#llx, SW_EXITINFO1 %#llx",
					   set, code, msr, info1);
				return;
			}
		}
	}
}

static struct kunit_case snp_features_cases[] = {
	KUNIT_CASE(snp_features_model_is_complete),
	KUNIT_CASE_PARAM(snp_features_single_bit, bit_gen_params),
	KUNIT_CASE(snp_features_no_snp_no_verdict),
	KUNIT_CASE(snp_features_reserved_fail_closed),
	KUNIT_CASE(snp_features_all_bits),
	KUNIT_CASE(snp_features_random_statuses),
	KUNIT_CASE(snp_features_termination_encoding),
	{}
};

static struct kunit_suite snp_features_suite = {
	.name = "snp_features",
	.test_cases = snp_features_cases,
};

kunit_test_suite(snp_features_suite);
