"""Would a tolerant comparison of English names by sound verify strangers? (issue 9, asr4)

The recogniser drops a liquid from a name's first cluster ("This is Gloria" heard "This is
Goria"). ``nlu.policy.names.sound_key`` then differs (KLR-O against KR-O), and the claim is not
the debtor's. Before making the comparison tolerant, measure what the tolerance would let in:
every ordered pair of distinct common given names below (written for this measurement: US, UK,
Irish, Hispanic, African-American, Indian and Nigerian names in English spelling; no nickname
of the same name), counted as "a stranger verified" when the tolerant key of the stranger's
name equals the debtor's, and the recogniser slips of the same family (one liquid dropped from
a cluster: Gloria/Goria, Clara/Cara, Bradley/Badley, Priya/Piya) counted as recovered.

    PYTHONPATH=$PWD .venv/bin/python bench/name_tolerance.py
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from nlu.name_sounds import sound_key

NAMES = """
Gloria Laura Dora Doria Victoria Cora Corey Kora Flora Lora Clara Cara Carla Claire Kara
Grace Gracie Glenn Gwen Greg Craig Brad Bradley Brenda Brenna Bianca Blake Brian Bryan Ryan
Priya Piya Pia Preeti Patty Frank Fran Franklin Fred Freda Trevor Tracy Trey Tre Troy Tony
Drew Dre Dwayne Wayne Duane Dean Deana Diana Dina Gina Jenna Janet Jean Joan June Jane John
Ron Rhonda Rosa Rose Ross Russell Roger Rodney Rita Rena Ray Raymond Rachel Ruth Ruby
Linda Lena Lina Lisa Lee Leah Leo Leon Lionel Lloyd Lola Lorna Lauren Loren Laurie Lori
Maria Mario Marie Mary Mara Myra Moira Mira Nora Norah Noel Nolan Norma Nina Nadia
Sara Sarah Sandra Sasha Sean Shawn Shaun Sheila Stella Stephen Steven Stacy Stan Stanley
Kevin Kelvin Calvin Kayla Kyle Kylie Keisha Kesha Keith Kate Katie Kathy Cathy Kim Kimberly
Olivia Oliver Olive Owen Oscar Omar Amara Amir Amy Ann Anna Anne Andre Andrea Angela Angel
Chidi Chinedu Ngozi Emeka Tunde Tola Bola Femi Funmi Ravi Rahul Raj Anil Sunil Sunita Deepak
Gabriel Gabriela Garry Gary Carrie Cary Kerry Carol Carl Karl Carlos Charles Charlie Chloe
Eric Erica Erin Aaron Ivan Ian Ida Ada Abe Abel Mabel Isabel Bella Bill Billy Bob Bobby
Dolores Delores Felix Fiona Gerald Geraldine Harold Harry Henry Hilda Holly Hope Helen Ellen
Ella Elena Eleanor Elinor Elsa Elise Eliza Luis Louis Louise Lewis Luke Lucy Lucia Lucas
Glynis Gladys Glen Grady Brady Bridget Britney Brooke Brook Crystal Christa Chris Kristen
Travis Trisha Trina Tina Dana Donna Don Donald Dominic Monica Monique Fleur Flo Blair Bree
""".split()  # noqa: SIM905 (a list of 258 names reads better as text)
# slips of the family measured: the debtor's name, then as the recogniser may print it
SLIPS = [
    ("Gloria", "Goria"), ("Clara", "Cara"), ("Bradley", "Badley"), ("Priya", "Piya"),
    ("Flora", "Fora"), ("Brenda", "Benda"), ("Gladys", "Gadys"), ("Trevor", "Tevor"),
    ("Glenn", "Genn"), ("Crystal", "Cystal"), ("Fleur", "Feur"), ("Blair", "Bair"),
]  # fmt: skip


def _consonants(key: str) -> tuple[str, str]:
    head, _, vowel = key.partition("-")
    return head, vowel


def exact(a: str, b: str) -> bool:
    return sound_key(a) == sound_key(b)


def liquid_dropped(a: str, b: str) -> bool:
    """Equal, or equal once one l/r after the first consonant is dropped from the longer key."""
    (ca, va), (cb, vb) = _consonants(sound_key(a)), _consonants(sound_key(b))
    if va != vb:
        return False
    if ca == cb:
        return True
    long, short = (ca, cb) if len(ca) > len(cb) else (cb, ca)
    return (
        len(long) == len(short) + 1
        and long[0] == short[0]
        and any(long[:i] + long[i + 1 :] == short for i in range(1, len(long)) if long[i] in "LR")
    )


def main() -> None:
    names = sorted(set(NAMES))
    pairs = list(itertools.permutations(names, 2))
    tests: list[tuple[str, Callable[[str, str], bool]]] = [
        ("exact key (today)", exact),
        ("one liquid dropped", liquid_dropped),
    ]
    print(f"{len(names)} names, {len(pairs)} ordered stranger pairs, {len(SLIPS)} liquid slips")
    for label, same in tests:
        strangers = [(d, s) for d, s in pairs if same(d, s)]
        recovered = sum(same(d, heard) for d, heard in SLIPS)
        print(
            f"{label:<20} strangers verified {len(strangers):4d} "
            f"({100 * len(strangers) / len(pairs):.2f} %), slips recovered {recovered}/{len(SLIPS)}"
        )
        gloria = sorted(s for d, s in strangers if d == "Gloria")
        print(f"{'':<20} strangers taken for Gloria: {gloria or 'none'}")
        print(f"{'':<20} e.g. {sorted(strangers)[:12]}")


if __name__ == "__main__":
    main()
