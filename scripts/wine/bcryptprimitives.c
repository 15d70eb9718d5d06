/*
 * A stand-in for Windows' bcryptprimitives.dll, for running exscan.exe and
 * its tests under wine only; it is never shipped. The Go runtime (1.22
 * and later) gets its random bytes from ProcessPrng in that DLL, which
 * Windows 10 and later have and wine 8.0 does not. This one fills the
 * buffer from advapi32's RtlGenRandom (SystemFunction036), which wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
