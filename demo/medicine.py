"""The demo pharmacy's catalogue: common medicines at Moroccan public prices (DH)."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from medicine.models import Lot, Medicine, Stock
from medicine.services import lot_receive, medicine_create
from medicine.shelf import local_today
from pos_project.actors import Actor

# name, generic name, form, strength, public price (PPV), wholesale price or None, units.
CATALOGUE = [
    ("Doliprane", "Paracétamol", "Comprimé", "1 g", "15.60", "13.90", 120),
    ("Doliprane", "Paracétamol", "Gélule", "500 mg", "11.50", "10.20", 80),
    ("Dafalgan", "Paracétamol", "Comprimé effervescent", "1 g", "16.40", "14.60", 60),
    ("Efferalgan", "Paracétamol", "Comprimé effervescent", "500 mg", "13.80", None, 45),
    ("Amoxil", "Amoxicilline", "Gélule", "500 mg", "29.80", "26.50", 40),
    ("Amoxil", "Amoxicilline", "Comprimé dispersible", "1 g", "47.50", None, 25),
    ("Clamoxyl", "Amoxicilline", "Gélule", "500 mg", "28.10", "25.00", 30),
    ("Augmentin", "Amoxicilline, acide clavulanique", "Sachet", "1 g/125 mg", "96.30", None, 20),
    ("Spasfon", "Phloroglucinol", "Comprimé", "80 mg", "32.80", "29.20", 50),
    ("Spasfon Lyoc", "Phloroglucinol", "Lyophilisat oral", "80 mg", "20.30", None, 0),
    ("Smecta", "Diosmectite", "Sachet", "3 g", "44.70", "39.80", 35),
    ("Voltarène", "Diclofénac", "Comprimé gastro-résistant", "50 mg", "39.50", None, 30),
    ("Voltarène Emulgel", "Diclofénac", "Gel", "1 %", "45.10", "40.20", 18),
    ("Aspegic", "Acétylsalicylate de lysine", "Sachet", "1000 mg", "23.40", None, 40),
    ("Aspegic Nourrisson", "Lysine acétylsalicylate", "Sachet", "100 mg", "15.20", None, 0),
    ("Maxilase Sirop", "Alpha-amylase", "Sirop", "200 U/ml", "36.20", "32.10", 22),
    ("Vogalène", "Métopimazine", "Gélule", "15 mg", "31.20", None, 15),
    ("Gaviscon Suspension", "Alginate de sodium", "Suspension", "250 ml", "49.90", None, 24),
    ("Motilium", "Dompéridone", "Comprimé", "10 mg", "34.60", "30.80", 20),
    ("Zyrtec", "Cétirizine", "Comprimé", "10 mg", "39.90", None, 28),
    ("Clarityne", "Loratadine", "Comprimé", "10 mg", "58.60", "52.10", 12),
    ("Ventoline", "Salbutamol", "Aérosol", "100 µg/dose", "32.70", None, 16),
    ("Flagyl", "Métronidazole", "Comprimé", "500 mg", "26.80", None, 30),
    ("Bactrim Forte", "Cotrimoxazole", "Comprimé", "800/160 mg", "21.40", None, 14),
    ("Ercefuryl", "Nifuroxazide", "Gélule", "200 mg", "35.40", None, 26),
    ("Fervex Adulte", "Paracétamol, phéniramine", "Sachet", "500 mg", "39.50", None, 30),
    ("Rhinathiol Sirop", "Carbocistéine", "Sirop", "5 %", "29.90", "26.60", 20),
    ("Toplexil Sirop", "Oxomémazine", "Sirop", "0.33 mg/ml", "28.70", None, 18),
    ("Biafine", "Trolamine", "Émulsion", "93 g", "54.30", None, 10),
    ("Bétadine Dermique", "Povidone iodée", "Solution", "125 ml", "29.50", "26.30", 25),
    ("Mopral", "Oméprazole", "Gélule gastro-résistante", "20 mg", "89.90", None, 15),
    ("Inexium", "Ésoméprazole", "Comprimé gastro-résistant", "40 mg", "142.50", None, 8),
    ("Glucophage", "Metformine", "Comprimé", "850 mg", "23.70", "21.10", 40),
    ("Amlor", "Amlodipine", "Gélule", "5 mg", "102.90", None, 12),
    ("Kardégic", "Acétylsalicylate de lysine", "Sachet", "75 mg", "23.10", None, 35),
    ("Nurofen", "Ibuprofène", "Comprimé", "400 mg", "24.90", "22.20", 30),
    ("Daflon", "Diosmine, hespéridine", "Comprimé", "500 mg", "73.80", None, 14),
    ("Solupred", "Prednisolone", "Comprimé orodispersible", "20 mg", "36.80", None, 10),
    ("Fucidine Crème", "Acide fusidique", "Crème", "15 g", "38.00", None, 9),
    ("Vitamine C UPSA", "Acide ascorbique", "Comprimé", "1 g", "27.10", None, 50),
]


def _ean13(serial: int) -> str:
    """A valid EAN-13 under the Moroccan GS1 prefix 611, so scanners and checks accept it."""
    body = f"611800{serial:06d}"
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def seed(demo) -> str:
    """Stock the demo storefront with the catalogue. Safe to run twice.

    A medicine is found again by its barcode and left as it is, so prices a user changed
    in the demo survive a re-run; opening stock is only added where the storefront has none.
    """
    actor = Actor.system("manage.py seed_demo")
    business, storefront = demo.business, demo.storefront
    created = stocked = 0
    with transaction.atomic():
        existing = {
            medicine.barcode: medicine for medicine in Medicine.objects.filter(business=business)
        }
        has_stock = set(
            Stock.objects.filter(storefront=storefront).values_list("medicine_id", flat=True)
        )
        for serial, (name, generic, form, strength, ppv, wholesale, units) in enumerate(
            CATALOGUE, start=1
        ):
            barcode = _ean13(serial)
            medicine = existing.get(barcode)
            if medicine is None:
                medicine = medicine_create(
                    business=business,
                    actor=actor,
                    name=name,
                    generic_name=generic,
                    form=form,
                    strength=strength,
                    barcode=barcode,
                    prix_br=Decimal(ppv),
                    wholesale_price=Decimal(wholesale) if wholesale else None,
                )
                created += 1
            if units and medicine.pk not in has_stock:
                _receive_lots(medicine, storefront, units, serial, actor)
                stocked += 1
        # One lot expired on the shelf, so that the pages show one.
        expired_lots(business, storefront, every=len(CATALOGUE))
    return (
        f"Catalogue: {len(CATALOGUE)} medicines ({created} new), "
        f"{stocked} stocked at {storefront.name}"
    )


def _lot_number(serial: int, index: int) -> str:
    return f"DM{serial:03d}-{index + 1}"


def _receive_lots(medicine, storefront, units: int, serial: int, actor) -> None:
    """Opening stock as one to three lots expiring in months to years; every fifth medicine
    has a few boxes expiring at the end of this month, so that "Expiring soon" shows
    something."""
    today = local_today(medicine.business)
    month_end = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    count = 1 + serial % 3
    expiries = [today + timedelta(days=200 + 180 * index + 7 * serial) for index in range(count)]
    if serial % 5 == 0:
        expiries[0] = month_end
    share, extra = divmod(units, count)
    for index, expiry in enumerate(expiries):
        quantity = share + (1 if index < extra else 0)
        if quantity:
            lot_receive(
                medicine=medicine,
                storefront=storefront,
                lot_number=_lot_number(serial, index),
                expiry_date=expiry,
                quantity=quantity,
                actor=actor,
            )


def expired_lots(business, storefront, *, every: int) -> int:
    """A lot that expired last month for every `every`-th medicine of the catalogue with
    stock at `storefront`, still counted in stock until a manager writes it off (the
    benchmark's data holds some). Receiving refuses a past expiry, so each is written as
    it would stand on the shelf, its stock row with it."""
    expired_on = local_today(business).replace(day=1) - timedelta(days=3)
    medicines = list(
        Medicine.objects.filter(business=business, stocks__storefront=storefront).order_by(
            "barcode"
        )[::every]
    )
    made = 0
    for medicine in medicines:
        number = f"{medicine.barcode}-X"
        if Lot.objects.filter(medicine=medicine, storefront=storefront, lot_number=number).exists():
            continue
        Lot.objects.create(
            medicine=medicine,
            storefront=storefront,
            lot_number=number,
            expiry_date=expired_on,
            quantity=6,
        )
        Stock.objects.filter(medicine=medicine, storefront=storefront).update(
            quantity=F("quantity") + 6
        )
        made += 1
    return made
