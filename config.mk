# Versions the project is pinned to. Change them here, in one place.

# Debian's kernel source package that the default tree is made from. It
# already carries upstream's SEV-SNP feature negotiation, which
# scripts/strip-intree-negotiation.py removes before our test-only series
# is applied. If apt no longer offers this version, pick one that it
# offers (apt-cache policy linux-source-6.1), set it here and refresh the
# test-only series with 'make refresh-test-series'.
DEBIAN_LINUX_SOURCE := linux-source-6.1
DEBIAN_LINUX_VERSION := 6.1.176-1

# Debian's kernel source packages that are tested as shipped, with
# upstream's feature negotiation in place: the trees of the fixes-only
# series (scripts/prepare-debian-tree without --strip). 'make check' runs
# its tree checks on the 6.12 one as well as on the default tree; 'make
# matrix' on both. Pinned to the newest version apt offered when they were
# last verified (Documentation/verification.md).
DEBIAN_612_SOURCE := linux-source-6.12
DEBIAN_612_VERSION := 6.12.118-1~deb12u1
DEBIAN_61_SHIPPED_VERSION := 6.1.192-3
