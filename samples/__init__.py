"""The partnership's own words as Python data, from which the sample returns in `inbox/` are built.

- `samples.seed000`: the amber/red tasks of the year-end exceptions report (seed 000).
- `samples.green_tasks`: green and achieved tasks that fill the returns out (seed 001 and invented).
- `samples.seed003`: the CYPAG planning return (seed 003).
- `samples.returns`: which file each group's return is, what its summaries declare, its oddities.
"""
