/* Test fixture for running our Windows programs under Debian's Wine 8 — never shipped.
 *
 * Rust's standard library asks bcryptprimitives.dll for ProcessPrng at start (Windows 10+
 * has it); Wine 8's bcryptprimitives lacks it, so every Rust .exe stops before main. This
 * stand-in exports ProcessPrng on top of RtlGenRandom (advapi32's SystemFunction036), which
 * Wine implements. scripts/wine-scenario.sh puts it into the test prefix's system32. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
