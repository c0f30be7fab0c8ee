"""A back-office list offered as a spreadsheet: "Export Excel" and "Export CSV" on the list
give the rows its search and filters select, every page of them, with a totals row."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pos_project.spreadsheets import Sheet, spreadsheet_download


class SpreadsheetExportMixin:
    """For a ModelAdmin: `export_columns` (the header, a person's words), `export_row(obj)`
    and, when the list has one, `export_totals(rows)`; `export_queryset` selects what the
    rows read. The links reach the list's template as `export_links`
    (admin/includes/export_links.html)."""

    # Each admin sets these and defines `export_row(obj) -> list`, one value per column.
    export_name: str
    export_columns: tuple[str, ...]

    def export_totals(self, rows: list[list]) -> list | None:
        return None

    def export_queryset(self, queryset):
        return queryset

    def _export_url_names(self) -> tuple[str, str]:
        stem = f"{self.opts.app_label}_{self.opts.model_name}_export"
        return stem, f"{stem}_xlsx"

    def get_urls(self):
        csv_name, xlsx_name = self._export_url_names()
        view = self.admin_site.admin_view(self.export_view)
        return [
            path("export/", view, {"kind": "csv"}, name=csv_name),
            path("export/xlsx/", view, {"kind": "xlsx"}, name=xlsx_name),
            *super().get_urls(),
        ]

    def export_view(self, request, kind):
        if not self.has_view_permission(request):
            raise Http404
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # A filter the list cannot read: back to the list, which says so, as Django's
            # own changelist does.
            changelist_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            )
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        queryset = self.export_queryset(changelist.queryset)
        rows = [self.export_row(obj) for obj in queryset.iterator(chunk_size=2000)]
        totals = self.export_totals(rows)
        sheet = Sheet(
            title=str(self.opts.verbose_name_plural).capitalize(),
            rows=[list(self.export_columns), *rows, *([totals] if totals else [])],
            totals=1 if totals else 0,
        )
        # The shop's day: a staff member's requests run in their business's time zone.
        name = f"{self.export_name}-{timezone.localdate()}"
        return spreadsheet_download(sheet, name=name, as_csv=kind == "csv")

    def changelist_view(self, request, extra_context=None):
        query = request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        csv_name, xlsx_name = self._export_url_names()
        links = [
            (_("Export Excel"), reverse(f"admin:{xlsx_name}") + suffix, "export-xlsx-link"),
            (_("Export CSV"), reverse(f"admin:{csv_name}") + suffix, "export-csv-link"),
        ]
        return super().changelist_view(request, {"export_links": links, **(extra_context or {})})
