# SPDX-License-Identifier: GPL-2.0
"""gdb script: count the instructions one call of a decompressor function
executes, callees included.

Run as  gdb -batch -x count_insns.py  with SNPNEG_COUNT set to a JSON
object {"port": N, "entry": runtime address}. Stops at the entry, reads the
return address, single-steps until it is reached and prints
"SNPNEG-COUNT <n>".
"""

import json
import os

import gdb

case = json.loads(os.environ["SNPNEG_COUNT"])
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set architecture i386:x86-64")
gdb.execute(f"target remote :{case['port']}")
gdb.execute(f"hbreak *{case['entry']:#x}")
gdb.execute("continue")
rsp = int(gdb.parse_and_eval("$rsp")) & 0xFFFFFFFFFFFFFFFF
ret = int.from_bytes(gdb.selected_inferior().read_memory(rsp, 8).tobytes(), "little")
n = 0
while n < 1_000_000:
    gdb.execute("stepi", to_string=True)
    n += 1
    if int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF == ret:
        break
print(f"SNPNEG-COUNT {n}", flush=True)
gdb.execute("kill")
