#!/usr/bin/python3
"""Medians and per-round ratios (ratio, min, max, rounds) of src/bench/interleaved.sh's output: ratios.py rounds.log"""
import re,sys,statistics as st,collections
rounds=[]; cur=None; sec=None
for l in open(sys.argv[1]):
    if l.startswith('=== round'): cur={}; rounds.append(cur); continue
    if l.startswith('---'): sec=l[4:].strip(); continue
    m=re.match(r'workload=(\S+) samples_per_s=(\d+).*?backend=(\S+)',l)
    if m and cur is not None: cur[(sec,m.group(1),m.group(3))]=int(m.group(2))
keys=sorted({k for r in rounds for k in r})
for k in keys:
    v=[r[k] for r in rounds if k in r]; print(k,'median',int(st.median(v)),'min',min(v),'max',max(v),'n',len(v))
def ratio(a,b):
    v=[r[a]/r[b] for r in rounds if a in r and b in r]; return st.median(v), min(v), max(v), len(v)
for mode in ['avx512','avx2']:
    e2=('engine %s 2 threads'%mode,'W3','vector'); e1=('engine %s 1 thread'%mode,'W3','vector'); t=('peers %s'%mode,'W3','torch-1t')
    tb=('peers %s'%mode,'W3','torch-blas2t')
    print(mode,'W3 2t/torch1t', ratio(e2,t), '1t/torch1t', ratio(e1,t), '2t/torch-blas2t', ratio(e2,tb))
    for w in ['W1','W2']:
        e=('engine %s 2 threads'%mode,w,'vector')
        for p in ['sklearn','torch-1t','torch-2t','torch-blas2t']:
            print(mode,w,'engine/'+p, ratio(e,('peers %s'%mode,w,p)))
