"""Scoring rules and the development-set regression gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.eval import evaluate, format_table, load_gold, names_match, score_report

# Floors ratchet upward and never sit above what was measured (rounded down to two places).
# Each time the splits grew with reports annotated before any rule used them, the floors were measured
# anew with the code as it stood, in a commit of their own; the new reports always scored like the
# blind split, below the older development reports (the earlier gap was rules fitted to what they were
# written on). History: git log -p tests/test_eval.py.
# 2026-12-07, fifth stop: 16 development reports (14 provinces, 7 bank news items, 6 money notices) and
# 16 blind reports (15 provinces), measured at 9a2ff05 (code of 6b82d01). The 16 new blind reports
# alone: funder 0.762 (32/42), fundings 0.923, actors 0.824, programmes 0.462, regions 0.972.
# Later in that stop (after its rules up to 2eeb24c) 16 more development reports (14 provinces, 7 bank news
# items, 8 money notices and news) were added; measured anew at 0661cd9 with that code. The 16 alone:
# funder 0.302 (16/53), fundings 0.906, actors 0.803, programmes 0.625 (the funder is what fails on reports
# no rule has seen).
# Ratcheted at the end of the fifth stop: dev programmes 0.787, funder 0.830 (480/578), actors 0.912; blind fundings
# 0.943, actors 0.801, funder 0.637 (195/306).
# 2026-12-07, sixth stop: 16 development reports (10 provinces, 7 bank news items, 8 money items) and 16 blind
# reports (14 provinces), measured at fca9b88 (code of 924e0aa). The 16 alone at the fifth stop's final code
# (3346463): development funder 0.306 (19/62), fundings 0.925, actors 0.847, programmes 0.709; blind funder
# 0.393 (11/28), fundings 0.933, actors 0.684, programmes 0.562, regions 0.949.
# Later in that stop (after its rules up to 190d76c) 16 more development reports (15 provinces, 9 money items, 7 bank
# news items) and 16 more blind reports (13 provinces) were added, and measured anew at 0191a9f with that code. The
# 16 alone scored the same at that code as at the fifth stop's final code: development funder 0.419 (18/43),
# fundings 0.977, actors 0.710, programmes 0.632; blind funder 0.522 (12/23), fundings 0.852, actors 0.816,
# programmes 0.571 (0.558 before).
# At the end of that stop (rules up to 8796d5c) 16 more development reports (10 provinces, 8 money items, 7 bank news
# items) and 16 more blind reports (15 provinces) were added and measured anew at 68a3d89 with that code. The 16
# alone: development funder 0.805 (33/41), fundings 0.863, actors 0.800, programmes 0.511; blind funder 0.589
# (33/56), fundings 0.957, actors 0.727, programmes 0.421 (at the stop's first code: the same funders, actors
# 0.791 and 0.727, programmes 0.500 and 0.389).
# 2026-12-07, seventh stop: 16 development reports (12 provinces, 9 money notices and news, 7 bank news items) and 16
# blind reports (13 provinces), measured at 541bc05 (code of 72d2ce0, the sixth stop's last). The 16 alone:
# development funder 0.604 (32/53), fundings 0.746 (recall 0.596), actors 0.774, programmes 0.571; blind funder 0.656
# (21/32), fundings 0.941, actors 0.694, programmes 0.353.
# Later in that stop (rules up to de8e002) 16 more development reports (10 provinces, 7 money items, 9 bank news items)
# and 16 more blind reports (15 provinces) were added and measured anew at 53d6030 with that code. The 16 alone scored
# exactly the same at the stop's first code (72d2ce0): development funder 0.810 (47/58), fundings 0.975, actors 0.754,
# programmes 0.368; blind funder 0.326 (14/43), fundings 0.956, actors 0.789, programmes 0.440.
# The default funder became the rules with the learned ranker where they find no giver (funder_rank.DEFAULT_MODE):
# blind funder 0.588 -> 0.631 (308/488); development 0.792 -> 0.769 (677/880), the reports the rules were fitted to.
# 2026-12-07, eighth stop: 16 development reports (15 provinces, 6 money notices, 3 money news, 7 bank news) and 16
# blind reports (12 provinces), measured at 6a39588 with the code of a64cf13 (which reads none of them). The 16 alone:
# development funder 0.733 (22/30), fundings 0.952, actors 0.815, programmes 0.508; blind funder 0.733 (11/15),
# fundings 0.938, actors 0.828, programmes 0.593.
# Later in that stop (rules up to d42d9a0) 16 more development reports (12 provinces, 6 money notices, 8 bank news, 2
# paired-aid reports) and 16 more blind reports (15 provinces) were added and measured anew at 1e30a3a with that code.
# The 16 alone scored exactly the same at the stop's first code (a64cf13): development funder 0.564 (22/39), fundings
# 0.780 (recall 0.696), actors 0.825, programmes 0.667; blind funder 0.778 (21/27), fundings 0.885, actors 0.640,
# programmes 0.357.
# At the end of that stop (rules up to 960cf5d) 16 more development reports (12 provinces, 6 money notices, 10 bank news)
# and 16 more blind reports (13 provinces) were added and measured anew at f57a8bb with that code. The 16 alone, at the
# stop's first code (c827aa5) and at 960cf5d: development funder 0.545 (18/33) both, fundings 0.805 and 0.795, actors
# 0.706 both, programmes 0.682 both; blind funder 0.667 (8/12) both, fundings 0.960 both, actors 0.707 and 0.716,
# programmes 0.462 and 0.450, regions 0.903 both.
# The same stop, 16 more development reports (11 provinces; 8 money items, 8 bank news items) were added (744fd14,
# de0ad76) and measured anew at de0ad76 with the code of daff7b4. The 16 alone, at the stop's first code and at
# daff7b4, the same: funder 0.485 (16/33), fundings 1.000, actors 0.780, programmes 0.585, regions 0.945.
# Then 16 more development reports (14 provinces; 9 money items, 7 bank news items; 067fc16, 830e585) and 16 more
# blind reports (13 provinces; daf67dc, 148e9f8), measured anew at 148e9f8 with the code of 29d9f16. The 16 alone, at
# the stop's first code (58a65d7) and at 29d9f16: development funder 0.453 (24/53) and 0.472 (25/53), fundings 0.891
# both, actors 0.783 both, programmes 0.450 both; blind funder 0.476 (10/21) both, fundings 0.977, actors 0.795,
# programmes 0.444 both, regions 0.951 and 0.963.
# Round 16: 16 more development reports (10 provinces; 8 money items, 7 bank news items; e72c706, cb157e1) and 16 more
# blind reports (15 provinces; 0bde7fc, 1c4e980), measured anew at cb157e1 with the code of 16f8332. The 16 alone, at
# the stop's first code (58a65d7) and at 16f8332: development funder 0.585 (31/53) and 0.604 (32/53), fundings 0.981
# both, actors 0.694 both, programmes 0.571 both, regions 0.912 and 0.918; blind funder 0.543 (19/35) and 0.514
# (18/35), fundings 0.959, actors 0.651, programmes 0.483 both, regions 0.939 and 0.947.
# Ratcheted at the end of the ninth stop (3eee440): dev actors 0.876, regions 0.962, fundings 0.957, programmes 0.743,
# funder 0.755 (852/1129); blind actors 0.775, regions 0.954, fundings 0.933, programmes 0.521, funder 0.645 (402/623).
# 2026-12-07, tenth stop, round 17: 16 more development reports (12 provinces; 8 money items, 8 bank news items;
# 889f3e5, b932fa3) and 16 more blind reports (12 provinces; f9a6b5a, 91435a7), measured anew at 91435a7 with the
# code of b64a984 (the stop's first code). The 16 alone: development funder 0.354 (17/48), fundings 0.941, actors
# 0.786, programmes 0.657, regions 0.923; blind funder 0.824 (14/17), fundings 0.919, actors 0.705, programmes 0.444,
# regions 0.939. Development programmes 0.743 -> 0.739 and funder 0.755 -> 0.738 (869/1177); blind programmes
# 0.521 -> 0.517, actors 0.775 -> 0.771, funder 0.645 -> 0.650 (416/640).
# Round 18: 16 more development reports (10 provinces; 8 money items, 8 bank news items; e036625, ed2ad9d) and 16
# more blind reports (14 provinces; 7046392, cd2cb4f), measured anew at ed2ad9d with the code of f2c7602. The 16
# alone, at the stop's first code (b64a984) and at f2c7602: development the same, funder 0.653 (32/49), fundings
# 0.970, actors 0.727, programmes 0.678, regions 0.960; blind funder 0.944 (17/18) both, fundings 0.878 both, actors
# 0.784 and 0.792, programmes 0.465 both, regions 0.982 both. Development actors 0.874 -> 0.869 and indicators
# 0.369 -> 0.360 (funder 0.741 = 909/1226); blind actors 0.774, programmes 0.514, funder 0.658 (433/658).
# Round 19: 14 more development reports (9 provinces; 8 money items, 6 bank news items; 93c7a4a, 8fd8e32) and 16
# more blind reports (10 provinces; f2dc4a9, 0db6b34), measured anew at 0db6b34 with the code of 00db799. The 14 and
# the 16 alone, at the stop's first code (b64a984) and at 00db799: development the same, funder 0.816 (31/38),
# fundings 0.950, actors 0.918, programmes 0.516, regions 0.941; blind funder 0.267 (4/15) both, fundings 0.968
# both, actors 0.716 and 0.691, programmes 0.471 both, regions 0.957 both. Development indicators 0.360 -> 0.347
# (funder 0.752 = 951/1264); blind actors 0.771, programmes 0.512, funder 0.649 (437/673).
# Round 20: 16 more development reports (7 provinces; 9 money items, 7 bank news items; 38a0e26, 8226550) and 16
# more blind reports (15 provinces; 2bb1a82, dd49a96), measured anew at d786b31 with the code of ef90e7f. The 16 of
# each alone, at the stop's first code (b64a984) and at ef90e7f: development funder 0.771 (37/48) both, fundings
# 0.842 both, actors 0.841 both, programmes 0.377 and 0.411 (half of these 16 were read while writing rules),
# regions 0.956 both; blind the same at both: funder 0.684 (13/19), fundings 0.927, actors 0.716, programmes 0.529,
# regions 0.855. Development indicators 0.347 -> 0.340 (funder 0.754 = 989/1312); blind actors 0.770, regions 0.951,
# funder 0.656 (454/692).
# Round 21: 16 more development reports (14 provinces; 9 money items, 7 bank news items; 5e9402f, 4ce0654) and 16
# more blind reports (12 provinces; 094d8a1, 492c38b), measured anew at 6767a14 with the code of 2cdcdce. The 16 of
# each alone, at the stop's first code (b64a984) and at 2cdcdce: development funder 0.744 (32/43) both, fundings
# 0.977 both, actors 0.821 and 0.831, programmes 0.356 and 0.329, regions 0.940 both; blind funder 0.519 (14/27)
# both, fundings 0.947 and 0.964, actors 0.675 and 0.684, programmes 0.364 and 0.353, regions 0.909 both.
# Development regions 0.960 -> 0.9597, programmes 0.730 -> 0.713, documents 0.982 -> 0.978 (funder 0.754 =
# 1021/1355); blind actors 0.770 -> 0.766, regions 0.951 -> 0.9495, programmes 0.512 -> 0.505, funder 0.651 (468/719).
# Ratcheted at the end of the tenth stop (2cdcdce): development actors 0.871, funder 0.754; blind funder 0.651;
# then at 4be520c: development regions 0.961, blind regions 0.950.
# Round 22 (eleventh stop): 16 more development reports (8 provinces; 6 in traditional script, 6 bank news items;
# a299aa9, b109b8b) and 16 more blind reports (12 provinces; ceb27b0, 2f135be), measured anew at 99b11ef with its
# code. The 16 of each alone, at the stop's first code (f3cb5f6) and at 99b11ef: development funder 0.531 (17/32)
# both, fundings 0.877 both, actors 0.753 both, programmes 0.507 and 0.478, regions 0.764 both (precision 0.656);
# blind the same at both: funder 0.526 (20/38), fundings 0.894, actors 0.829, programmes 0.400, regions 0.968.
# Development regions 0.961 -> 0.952, actors 0.871 -> 0.867 (funder 0.753 = 1044/1387); blind actors 0.770,
# regions 0.951, programmes 0.507, funder 0.646 (489/757).
# Round 23: 16 more development reports (14 provinces; 7 money items, 7 bank news items; 92d09f0, df61192) and 16
# more blind reports (12 provinces; 72bf169, 81c7219), measured anew at df61192 with the code of c4a651a. The 16 of
# each alone, at the stop's first code (f3cb5f6) and at c4a651a: development funder 0.385 (15/39) both, fundings
# 0.907 both, actors 0.825 both, programmes 0.520 and 0.600, regions 0.964 both; blind the same at both: funder
# 0.719 (23/32), fundings 0.955, actors 0.775, programmes 0.381, regions 0.918. Development programmes 0.713 ->
# 0.710, indicators 0.333 -> 0.329, funder 0.743 (1059/1426); blind regions 0.951 -> 0.9496, funder 0.649 (512/789).
# Round 24: 16 more development reports (8 provinces; 3 money notices, 6 bank news items; 0d58c3f, 782b97d) and 16
# more blind reports (11 provinces; 4674f74, 7243927), measured anew at 7243927 with the code of c0693cb. The 16 of
# each alone, at the stop's first code (f3cb5f6) and at c0693cb: development programmes 0.486 and 0.500, the rest the
# same (funder 0.720 = 36/50, fundings 0.917, actors 0.872, regions 0.957); blind regions 0.947 and 0.939, programmes
# 0.571 and 0.552, funder 0.914 (32/35) and 0.886 (31/35), the rest the same (fundings 0.886, actors 0.769).
# Development fundings 0.950 -> 0.949 (funder 0.751 = 1108/1476); blind fundings 0.931 -> 0.9295, funder 0.660
# (544/824).
# Round 25: 16 more development reports (9 provinces; 6 money notices, 7 bank news items; 394aca9, 32fb436) and 16
# more blind reports (13 provinces; 5417a20, 4547158), measured anew at 32fb436 with the code of b693908 (= c0693cb).
# The 16 of each alone, at the stop's first code (f3cb5f6) and at b693908: development regions 0.880 and 0.863 (two
# places named only inside outlets' or companies' names, which these annotators leave out), the rest the same (funder
# 0.586 = 34/58, fundings 0.789, actors 0.800, programmes 0.462); blind regions 0.968 and 0.961, the rest the same
# (funder 0.700 = 14/20, fundings 0.930, actors 0.648, programmes 0.500). Development documents 0.970 -> 0.969 (funder
# 0.745 = 1142/1534); blind actors 0.766, funder 0.661 (558/844).
# Ratcheted at the end of the eleventh stop (0fa16db): development indicators 0.33 (0.3365); blind funder 0.66
# (0.6611 = 558/844).
# Round 26 (twelfth stop): 16 more development reports (12 provinces; 5 bank news items, 5 money items; af66ea9,
# cdb72a8) and 16 more blind reports (15 provinces; 10 bank news items; 269fa6c, 9578032), measured anew at 9578032
# with the code of 3ae9d79. The 16 of each alone, at the stop's first code (332290e) and at 3ae9d79: development the
# same at both (funder 0.757 = 28/37, fundings 0.961, actors 0.812, programmes 0.607, regions 0.982); blind funder
# 0.595 (22/37) and 0.622 (23/37), the rest the same (fundings 0.974, actors 0.848, programmes 0.567, regions 0.950).
# Development programmes 0.702 -> 0.699 (funder 0.752 = 1181/1571); blind actors 0.769, funder 0.666 (587/881).
# Round 27: 16 more development reports (15 provinces; 4 paired-aid reports, 4 money notices; 1108e14, d0cf054) and 16
# more blind reports (10 provinces; 10 village and county stories; 9e051ba, 1bb3334), measured anew at d0cf054 with the
# code of 9ef6085. The 16 of each alone, at the stop's first code (332290e) and at 9ef6085, the same: development
# funder 0.750 (39/52), fundings 0.874, actors 0.750, programmes 0.667, regions 0.911; blind funder 0.839 (26/31),
# fundings 0.939, actors 0.667, programmes 0.486, regions 0.951. Development actors 0.8605, indicators 0.340 -> 0.3297
# (funder 0.753 = 1224/1626); blind actors 0.767, fundings 0.933, funder 0.673 (616/915).
# Round 28: 16 more development reports (13 provinces; 5 bank news items, 5 paired-aid or fund reports; c32783e,
# a522d96) and 16 more blind reports (16 provinces; 9 bank items; c688a54, f920122), measured anew at a522d96 with
# the code of 65a2a60. The 16 of each alone, at the stop's first code (332290e) and at 65a2a60, the same: development
# funder 0.783 (18/23), fundings 0.920, actors 0.704, programmes 0.375, regions 0.954; blind funder 0.649 (24/37),
# fundings 0.925, actors 0.812, programmes 0.529, regions 0.985. Development actors 0.863 -> 0.8566 (funder 0.759 =
# 1260/1660); blind actors 0.769, funder 0.678 (645/952).
# Round 29: 16 more development reports (13 provinces; 7 in traditional script; 5efcb26, 37dcde8) and 16 more blind
# reports (16 provinces; 7 bank news items; f22f214, 2cb4877), measured anew at 7a47400 with its code. The 16 blind
# alone, at the stop's first code (332290e) and at 7a47400: funder 0.681 (32/47) and 0.745 (35/47), the rest the same
# (fundings 0.979, actors 0.704, programmes 0.750, regions 0.922). Two rules of 7a47400 came from reading the 16
# development reports (a town opening with 的, an idiom ending in 贷), so they are no honest check of it. Development
# actors 0.8569, programmes 0.6951, indicators 0.3254 (funder 0.759 = 1284/1692); blind actors 0.767, programmes 0.517,
# funder 0.681 (680/999).
# Round 30: 16 more development reports (10 provinces; 8 county, town and village stories; 51bb232, 65b4453) and 16
# more blind reports (16 provinces; 9 bank items; 6451a6c, 70607a0), measured anew at 70607a0 with the code of 9d6c059.
# The 16 of each alone, at the stop's first code (332290e) and at 9d6c059: development the same (funder 0.737 = 14/19,
# fundings 0.864, actors 0.643, programmes 0.345, regions 0.916); blind regions 0.951 and 0.959, funder 0.685 (37/54)
# and 0.704 (38/54), the rest the same (fundings 0.982, actors 0.716, programmes 0.609).
# Ratcheted at the end of the twelfth stop (9d6c059, 566 development and 509 blind reports): development funder 0.76
# (0.761 = 1302/1711); blind programmes 0.52 (0.521), fundings 0.93 (0.937), funder 0.68 (0.684 = 720/1053).
# Then (resolution of one body, programme or place read twice, regiments, towns in lists; up to the stop's end):
# development regions 0.961, actors 0.852, programmes 0.694, indicators 0.3245; blind regions 0.9491, actors 0.768,
# programmes 0.526. Ratcheted: development regions 0.96.
# Round 31 (thirteenth stop): 16 more development reports (13 provinces; 3 paired-aid reports, 3 in traditional
# script; a6460b2, ff54cf9) and 16 more blind reports (16 provinces; 7 bank items; 3e870b9, 946bae1), measured anew at
# ff54cf9 with the code of 6983abb. The 16 of each alone, at the stop's first code (117c927) and at 6983abb, the same:
# development funder 0.435 (20/46), fundings 0.958, actors 0.635, programmes 0.407, regions 0.951; blind funder 0.721
# (31/43), fundings 0.966, actors 0.854, programmes 0.560, regions 0.905. Development actors 0.852 -> 0.847,
# programmes 0.694 -> 0.687, funder 0.761 -> 0.752 (1322/1757); blind actors 0.771, regions 0.947, programmes 0.527,
# funder 0.685 (751/1096).
# Round 32: 16 more development reports (13 provinces; 8 paired-aid or pairing-unit reports, no bank items; 1bc8736,
# 594c03f) and 16 more blind reports (13 provinces; 7 bank items; 82dab55, 603f93f), measured anew at 594c03f with the
# code of f828ea7. The 16 of each alone, at the stop's first code (117c927) and at f828ea7: development actors 0.868
# and 0.879, funder 0.561 (32/57) and 0.544 (31/57), the rest the same (fundings 0.966, programmes 0.408, regions
# 0.951); blind the same at both (funder 0.706 = 36/51, fundings 0.981, actors 0.788, programmes 0.769, regions 0.901).
# Development indicators 0.3205 -> 0.317, funder 0.755 -> 0.747 (1362/1823); blind documents 0.972 -> 0.966, funder
# 0.689 (793/1151).
# Round 33: 16 more development reports (13 provinces; 9 in traditional script, no bank items; 37da313, 1cdd38a) and
# 16 more blind reports (16 provinces; 4 bank items, 4 paired-aid items; 9d9a76f, 4e745e6), measured anew at 4e745e6
# with the code of cc9b108. The 16 of each alone, at the stop's first code (117c927) and at cc9b108: development
# regions 0.897 and 0.938 (a rule of cc9b108 came from reading one of these: no honest check of it), programmes 0.258
# and 0.267, the rest the same (funder 0.667 = 26/39, fundings 0.975, actors 0.821); blind actors 0.724 and 0.743,
# funder 0.754 (46/61) and 0.770 (47/61), the rest the same (fundings 0.961, programmes 0.345, regions 0.967).
# Development regions 0.9602 -> 0.9596, programmes 0.684 -> 0.6798 (funder 0.749 = 1395/1862); blind actors 0.772,
# funder 0.693 (840/1212).
# Round 34: 16 more development reports (13 provinces; 8 in traditional script; 8b60042, 6439951) and 16 more blind
# reports (16 provinces; 6 bank items; 1f396b2, 5f65e2a), measured anew at 5f65e2a with the code of db699fe. The 16 of
# each alone, at the stop's first code (117c927) and at db699fe: development actors 0.742 and 0.756, the rest the same
# (funder 0.714 = 20/28, fundings 0.903, programmes 0.324, regions 0.980); blind fundings 0.928 and 0.914 (one sum
# more read that the gold leaves out), the rest the same (funder 0.594 = 19/32, actors 0.736, programmes 0.531,
# regions 0.993). Every floor holds (development programmes 0.674, funder 0.749 = 1415/1890; blind funder 0.691 =
# 859/1244).
# Ratcheted at the end of the thirteenth stop (763cba4, 630 development and 573 blind reports): development regions
# 0.96 (0.9607), indicators 0.32 (0.325); blind actors 0.77 (0.773), fundings 0.94 (0.948), programmes 0.53 (0.530),
# funder 0.69 (0.6905 = 859/1244); then, with the bar-line tables (aaf86ca), development fundings 0.95 (0.953; funder
# 0.751 = 1438/1914).
# Round 35 (fourteenth stop): 16 more development reports (13 provinces; 4 in traditional script, 4 paired-aid reports;
# f940d75, 017f531) and 16 more blind reports (16 provinces; 3 in traditional script with pinyin readings; f2e06ec,
# bf1bc61), measured anew at bf1bc61 with the code of f15ce44. The 16 of each alone, at the stop's first code (e1b79e6)
# and at f15ce44: development programmes 0.556 and 0.541, the rest the same (funder 0.500 = 18/36, fundings 0.935,
# actors 0.722, regions 0.893); blind regions 0.888 and 0.904, the rest the same (funder 0.543 = 19/35, fundings 0.959,
# actors 0.717, programmes 0.596). Development 646: actors 0.847, programmes 0.673, indicators 0.323, funder 0.753
# (1468/1950); blind 589: indicators 0.333 -> 0.324, funder 0.692 -> 0.688 (880/1279), so those two floors go down to
# what was measured.
# Ratcheted at the end of the fourteenth stop (1c225a5, 646 development and 589 blind reports): development documents
# 0.97 (0.970), funder 0.75 (0.753 = 1471/1954); blind programmes 0.54 (0.542); then, with 贷了 and 总投 (9f8bf4a),
# blind fundings 0.95 (0.9507 = 1282/76/57; funder 0.688 = 882/1282).
# Development set: `make eval` — the 23 reports of ../shared and the 623 of eval/dev (funder 0.753 = 1472/1956).
FLOORS = {"actors": 0.84, "regions": 0.96, "fundings": 0.95, "documents": 0.97, "programs": 0.67,
          "indicators": 0.32}
TYPED_FLOORS = {"region_level_accuracy": 0.99, "funder_accuracy": 0.75}
# 2026-12-07, ninth stop: 16 more blind reports (13 provinces) were added (e375402, 51afd83) and measured anew at
# 51afd83 with the code of daff7b4. The 16 alone, at the stop's first code (58a65d7) and at daff7b4, the same:
# funder 0.462 (12/26), fundings 0.812, actors 0.706, programmes 0.414, regions 0.978, documents 0.900.
# Blind split: `make eval-blind` — the 589 reports of eval/blind, scored in aggregate only (funder 0.688 = 882/1282).
BLIND_FLOORS = {"actors": 0.77, "regions": 0.94, "fundings": 0.95, "documents": 0.96, "programs": 0.54,
                "indicators": 0.32}
BLIND_TYPED_FLOORS = {"region_level_accuracy": 0.99, "funder_accuracy": 0.68}

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "pred, gold, expected",
    [
        ("中共秦州区委员会", "秦州区委", True),
        ("秦州区人民政府", "秦州区政府", True),
        ("西宁市农业农村局", "西宁市农业农村局", True),
        ("西宁市城北区全域联动招商引资服务中心", "城北区全域联动招商引资服务中心", True),
        ("西宁市农商银行", "西宁农商银行", True),
        ("“三乡工程”", "三乡工程", True),
        ("秦州區", "秦州区", True),
        ("农业农村局", "西宁市农业农村局", False),
        ("西宁市商务局", "西宁市科学技术局", False),
        ("天水市农业农村局", "西宁市农业农村局", False),
    ],
)
def test_name_matching(pred: str, gold: str, expected: bool) -> None:
    assert names_match(pred, gold) is expected


def test_second_name_for_one_gold_entity_is_a_false_positive() -> None:
    gold = {"id": "r", "actors": [{"name": "西宁市农业农村局", "type": "GovernmentAgency", "aliases": ["市农业农村局"]}]}
    pred = {"actors": [{"name": "西宁市农业农村局", "type": "GovernmentAgency"},
                       {"name": "市农业农村局", "type": "GovernmentAgency"}]}
    score = score_report(pred, gold)
    assert (score.counts["actors"].tp, score.counts["actors"].fp) == (1, 1)


def test_fundings_match_on_amount_within_half_a_percent() -> None:
    gold = {"id": "r", "actors": [], "fundings": [
        {"funder": "西宁市信保集团", "amount_cny": 150000000}, {"funder": None, "amount_cny": 18400000}]}
    pred = {"fundings": [{"amount_cny": "150500000", "funder": "西宁市信保集团"},
                         {"amount_cny": "18000000", "funder": None}]}
    score = score_report(pred, gold)
    assert (score.counts["fundings"].tp, score.counts["fundings"].fp, score.counts["fundings"].fn) == (1, 1, 1)
    assert score.funder.value == 1.0


@pytest.fixture(scope="module")
def dev_result(shared_dir: Path):
    return evaluate([shared_dir / "gold", ROOT / "eval" / "dev" / "gold"],
                    [ROOT / "data" / "reports", shared_dir / "dev-reports", ROOT / "eval" / "dev" / "corpus"])


def _above_floors(overall: dict, floors: dict[str, float], typed: dict[str, float]) -> list[tuple]:
    low = [(c, round(overall[c]["f1"], 3), f) for c, f in floors.items() if overall[c]["f1"] < f]
    return low + [(k, round(overall[k], 3), f) for k, f in typed.items() if overall[k] < f]


@pytest.mark.slow
def test_development_set_scores_stay_above_the_floors(dev_result) -> None:
    overall = dev_result.as_dict()["overall"]
    print(format_table(dev_result))
    assert not dev_result.failures
    # every gold report of ../shared and eval/dev is scored (486 on 2026-12-07, eleventh stop)
    assert len(dev_result.reports) == len(load_gold([ROOT.parent / "shared" / "gold", ROOT / "eval" / "dev" / "gold"])) >= 646
    assert not _above_floors(overall, FLOORS, TYPED_FLOORS)


@pytest.mark.slow
def test_blind_split_scores_stay_above_the_floors() -> None:
    # Aggregate only, whatever happens: a failure names categories and figures, never a report.
    # Only plain numbers reach the asserts, so pytest's introspection cannot print a report's
    # name or errors (the result object's repr holds them).
    result = evaluate(ROOT / "eval" / "blind" / "gold", [ROOT / "eval" / "blind" / "corpus"])
    scored, failed = len(result.reports), len(result.failures)
    low = _above_floors(result.as_dict()["overall"], BLIND_FLOORS, BLIND_TYPED_FLOORS)
    del result
    assert scored >= 20 and failed == 0, (scored, failed)
    assert not low, low


@pytest.mark.slow
def test_eval_json_is_complete(dev_result) -> None:
    data = json.loads(json.dumps(dev_result.as_dict(), ensure_ascii=False))
    assert {r["report"] for r in data["reports"]} == set(load_gold([ROOT.parent / "shared" / "gold", ROOT / "eval" / "dev" / "gold"]))
    for r in data["reports"]:
        for cat in FLOORS:
            assert {"precision", "recall", "f1", "tp", "fp", "fn"} <= set(r[cat])


def test_optional_gold_entries_are_neither_hits_nor_misses() -> None:
    gold = {"id": "r", "actors": [{"name": "西宁市农业农村局", "type": "GovernmentAgency"},
                                  {"name": "西宁市商务局", "type": "GovernmentAgency", "optional": True},
                                  {"name": "西宁市科学技术局", "type": "GovernmentAgency", "optional": True}],
            "fundings": [{"funder": None, "amount_cny": 500000, "optional": True}]}
    pred = {"actors": [{"name": "西宁市农业农村局", "type": "GovernmentAgency"},
                       {"name": "西宁市商务局", "type": "GovernmentAgency"}],
            "fundings": [{"amount_cny": 500000, "funder": "西宁市商务局"}]}
    score = score_report(pred, gold)
    assert (score.counts["actors"].tp, score.counts["actors"].fp, score.counts["actors"].fn) == (1, 0, 0)
    assert (score.counts["fundings"].tp, score.counts["fundings"].fp, score.counts["fundings"].fn) == (0, 0, 0)
    assert score.funder.total == 0


def test_errors_and_summary_outputs() -> None:
    from kg.eval import format_errors, format_summary, score_predictions

    gold = {"r1": {"id": "r1", "actors": [{"name": "西宁市农业农村局", "type": "GovernmentAgency"}]}}
    result = score_predictions({"r1": {"actors": [{"name": "西宁市商务局", "type": "GovernmentAgency"}]}}, gold)
    assert format_errors(result).splitlines() == ["r1\tactors\tFP 西宁市商务局", "r1\tactors\tFN 西宁市农业农村局"]
    summary = format_summary(result)
    assert "r1" not in summary and "reports scored: 1" in summary
    assert all(line.startswith(("report", "overall", "reports scored")) for line in summary.splitlines())


def test_load_gold_reads_several_folders_and_names_a_missing_one(tmp_path: Path) -> None:
    from kg.errors import KgError

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.json").write_text(json.dumps({"id": name}), encoding="utf-8")
    assert set(load_gold([tmp_path / "a", tmp_path / "b"])) == {"a", "b"}
    with pytest.raises(KgError, match="nope"):
        load_gold([tmp_path / "a", tmp_path / "nope"])


def test_a_report_that_fails_to_ingest_is_named_and_fails_the_command(tmp_path: Path, capsys) -> None:
    from kg.cli import main

    (tmp_path / "empty.txt").write_bytes(b"")
    gold = Path(__file__).resolve().parent.parent / "data" / "gold"
    assert main(["eval", "--gold", str(gold), str(tmp_path)]) == 1
    assert "empty.txt" in capsys.readouterr().err
