# Versions the project is pinned to. Change them here, in one place.

# Debian's kernel source package that the default tree is made from. It
# already carries upstream's SEV-SNP feature negotiation, which
# scripts/strip-intree-negotiation.py removes before our test-only series
# is applied. If apt no longer offers this version, pick one that it
# offers (apt-cache policy linux-source-6.1), set it here and refresh the
# test-only series with 'make refresh-test-series'.
DEBIAN_LINUX_SOURCE := linux-source-6.1
DEBIAN_LINUX_VERSION := 6.1.176-1
