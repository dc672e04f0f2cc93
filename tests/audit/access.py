from tests.access_matrix import Rule, only

ACCESS = [
    Rule("audit:list", only({"business_manager"}, outsider=200)),
    Rule("audit:export", only({"business_manager"}, outsider=200)),
]
