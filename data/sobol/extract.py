#!/usr/bin/python3
"""Writes joe-kuo-6.1000.txt: the first 1,000 dimensions of Joe and Kuo's Sobol' direction
numbers (new-joe-kuo-6.21201), in their published text format, from the copy that SciPy ships
(scipy/stats/_sobol_direction_numbers.npz, the same table). Run once; the output is committed.

Usage: /usr/bin/python3 data/sobol/extract.py > data/sobol/joe-kuo-6.1000.txt
"""
import numpy as np
import scipy.stats

path = scipy.stats.__path__[0] + "/_sobol_direction_numbers.npz"
table = np.load(path)
poly, vinit = table["poly"], table["vinit"]
print("d       s       a       m_i")
for d in range(1, 1000):  # dimension 1 (van der Corput) is implicit in the format
    p = int(poly[d])
    s = p.bit_length() - 1  # degree: poly holds the leading and the constant 1 bits
    a = (p >> 1) & ((1 << (s - 1)) - 1)
    m = " ".join(str(int(v)) for v in vinit[d][:s])
    print(f"{d + 1}       {s}       {a}       {m} ")
