"""The demo business's regular customers, loaded by seed_demo."""

from decimal import Decimal

from customers.models import Customer, CustomerType
from customers.phones import normalise_phone
from customers.services import customer_create
from pos_project.actors import Actor

RETAIL = CustomerType.RETAIL
WHOLESALE = CustomerType.WHOLESALE

# name, phone as the customer gives it, type, credit limit (None: no limit), address, notes
CUSTOMERS = [
    ("Fatima Zahra El Amrani", "06 12 34 56 78", RETAIL, Decimal("1000.00"), "Hay Riad, Rabat", ""),
    ("Mohamed Benjelloun", "0661-23-45-67", RETAIL, Decimal("500.00"), "Maarif, Casablanca", ""),
    ("Khadija Tazi", "+212 6 62 11 22 33", RETAIL, None, "Agdal, Rabat", ""),
    ("Youssef El Idrissi", "06 70 45 12 98", RETAIL, Decimal("300.00"), "", ""),
    ("Amina Chraibi", "0650 98 76 54", RETAIL, None, "Gueliz, Marrakech", "Prefers SMS."),
    ("Hassan Ait Lahcen", "07 01 02 03 04", RETAIL, Decimal("0.00"), "Talborjt, Agadir", ""),
    ("Naima Ouazzani", "0663 44 55 66", RETAIL, None, "", ""),
    ("Rachid Bennani", "06 61 98 45 21", RETAIL, Decimal("800.00"), "Fès Médina", ""),
    ("Salma Berrada", "0677 12 90 34", RETAIL, None, "Anfa, Casablanca", ""),
    ("Omar Fassi Fihri", "06 55 33 22 11", RETAIL, Decimal("1500.00"), "Souissi, Rabat", ""),
    ("Zineb Alaoui", "0708 56 34 12", RETAIL, None, "", "Asthma: Ventoline every month."),
    ("Abdelkader Mansouri", "06 68 21 43 65", RETAIL, Decimal("400.00"), "Oujda", ""),
    ("Meryem Lahlou", "0612 98 76 54", RETAIL, None, "Hay Hassani, Casablanca", ""),
    ("Brahim Oukacha", "06 47 85 96 32", RETAIL, None, "Inezgane", ""),
    ("Latifa Benkirane", "0661 77 88 99", RETAIL, Decimal("600.00"), "Tanger Ville", ""),
    ("Said Ouali", "07 61 23 45 67", RETAIL, None, "", ""),
    ("Houda Skalli", "0662 33 44 55", RETAIL, None, "Meknès", ""),
    ("Abdellah Ziani", "06 58 96 32 14", RETAIL, Decimal("250.00"), "Kénitra", ""),
    ("Nadia El Khatib", "0671 45 78 12", RETAIL, None, "Témara", "Diabetic: insulin pens."),
    ("Mustapha Rahmouni", "06 64 12 34 56", RETAIL, None, "Salé", ""),
    ("Imane Bouzidi", "0709 87 65 43", RETAIL, Decimal("200.00"), "", ""),
    ("Karim Tahiri", "06 66 55 44 33", RETAIL, None, "Mohammedia", ""),
    ("Ghita Sebti", "0676 34 12 56", RETAIL, None, "Ifrane", ""),
    ("Hamza Belhaj", "06 52 41 36 98", RETAIL, Decimal("350.00"), "Tétouan", ""),
    ("Soukaina Amrani", "0654 21 87 65", RETAIL, None, "", ""),
    ("Driss Lamrani", "06 69 87 12 34", RETAIL, None, "El Jadida", ""),
    ("Asmae Haddaoui", "0710 20 30 40", RETAIL, None, "Safi", ""),
    ("Ayoub Kabbaj", "06 63 25 14 78", RETAIL, Decimal("500.00"), "Settat", ""),
    ("Élodie Benaïssa", "+33 6 12 34 56 78", RETAIL, None, "Essaouira", "Visitor from Lyon."),
    (
        "Clinique Al Amal",
        "0522 36 47 58",
        WHOLESALE,
        Decimal("20000.00"),
        "Bd Zerktouni, Casablanca",
        "Invoiced monthly.",
    ),
    (
        "Cabinet Dr. Bennis",
        "0537 70 80 90",
        WHOLESALE,
        Decimal("5000.00"),
        "Rue Patrice Lumumba, Rabat",
        "",
    ),
    (
        "Parapharmacie Nour",
        "0524 43 21 09",
        WHOLESALE,
        Decimal("10000.00"),
        "Av. Mohammed V, Marrakech",
        "",
    ),
    ("Association Amal Atlas", "06 61 11 22 33", WHOLESALE, None, "Azrou", "Charity dispensary."),
    ("Clinique Les Orangers", "0528 84 75 66", WHOLESALE, Decimal("15000.00"), "Agadir", ""),
]


def seed(demo) -> str:
    """Add the demo customers that are missing (matched by phone); safe to run again."""
    business = demo.business
    actor = Actor.system("manage.py seed_demo")
    existing = set(
        Customer.objects.filter(business=business)
        .exclude(phone=None)
        .values_list("phone", flat=True)
    )
    added = 0
    for name, phone, customer_type, credit_limit, address, notes in CUSTOMERS:
        if normalise_phone(phone, region=business.default_region) in existing:
            continue
        customer_create(
            business=business,
            actor=actor,
            name=name,
            phone=phone,
            customer_type=customer_type,
            credit_limit=credit_limit,
            address=address,
            notes=notes,
        )
        added += 1
    wholesale = sum(1 for row in CUSTOMERS if row[2] == WHOLESALE)
    return (
        f"Customers: {len(CUSTOMERS)} ({added} new), {wholesale} wholesale, "
        f"{sum(1 for row in CUSTOMERS if row[3] is not None)} with a credit limit."
    )
