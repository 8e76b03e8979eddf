"""Conditional-format formula rules: which forms are evaluated, and how, as Excel would."""

from __future__ import annotations

import pytest

from pipeline.readers.xlsx_looks import expression_test

#: The sheet the rules look at: row 5 and row 6 of columns C to F.
CELLS = {(5, 3): "Venue delayed", (5, 5): "Red", (5, 6): 3, (6, 3): "Done", (6, 5): "green",
         (6, 6): None, (1, 6): 2}


def _applies(formula: str, row: int, column: int = 4) -> bool:
    test = expression_test(formula, 5, 4)  # the rule's range starts at D5
    assert test is not None, formula
    return test(CELLS.get((row, column)), row, column, lambda r, c: CELLS.get((r, c)))


@pytest.mark.parametrize(
    ("formula", "row5", "row6"),
    [
        ('$E5="Red"', True, False),
        ('$E5="RED"', True, False),  # Excel compares text without regard to case
        ('"Green"=$E5', False, True),
        ("$F5>=3", True, False),
        ("$F5<3", False, True),  # an empty cell is 0 against a number
        ('$F5<>""', True, False),
        ("$F$1=2", True, True),  # an absolute reference looks at the same cell from every row
        ("F5>2", True, False),  # relative: D5 looks at F5, D6 at F6
        ('ISNUMBER(SEARCH("delay",$C5))', True, False),
        ('NOT(ISERROR(SEARCH("DONE",$C5)))', False, True),
        ('$E5>"M"', True, False),  # text against text, in order
        ("$E5>5", True, True),  # text is greater than any number, as in Excel
    ],
)
def test_simple_formula_rules_are_evaluated_as_excel_does(formula: str, row5: bool, row6: bool) -> None:
    assert (_applies(formula, 5), _applies(formula, 6)) == (row5, row6)


@pytest.mark.parametrize(
    "formula",
    ["AND($F5>2,$E5=\"Red\")", "$F5+1>3", "TODAY()>$F5", "Sheet2!$A1=\"x\"", "$E5=$F5",
     "INDIRECT(\"E5\")=\"Red\"", ""],
)
def test_other_formulas_are_not_evaluated(formula: str) -> None:
    assert expression_test(formula, 5, 4) is None
