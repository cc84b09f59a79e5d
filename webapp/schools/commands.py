"""`flask import-schools FILE`: add or update schools from a CSV or XLSX list."""
import click

from webapp.schools import services
from webapp.schools.imports import SchoolFileError, read_rows


@click.command("import-schools")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", default="id", type=click.Choice(["id", "en"]), help="Language of messages.")
def import_schools(path, lang):
    """Add or update schools (by NPSN) from FILE: CSV or XLSX with the columns NPSN, Nama,
    Jenjang (SMA/SMK/MA/SLB), Alamat, Kode Kelurahan. Any row with an error: nothing is saved."""
    try:
        rows = read_rows(path)
    except SchoolFileError as exc:
        texts = {"unreadable": ("Berkas tidak dapat dibaca", "The file cannot be read"),
                 "missing_columns": ("Kolom tidak ada", "Missing columns")}[exc.code]
        raise click.ClickException(f"{texts[lang == 'en']}: {exc.detail}") from exc
    summary, problems = services.import_rows(rows)
    for number, errors in sorted(problems.items()):
        for field, texts in services.describe(errors, lang).items():
            for text in texts:
                click.echo(f"{'row' if lang == 'en' else 'baris'} {number}, {field}: {text}", err=True)
    if problems:
        raise click.ClickException(
            f"{len(problems)} row(s) with errors: nothing saved." if lang == "en"
            else f"{len(problems)} baris bermasalah: tidak ada yang disimpan.")
    click.echo(f"{summary['added']} added, {summary['updated']} updated." if lang == "en"
               else f"{summary['added']} ditambahkan, {summary['updated']} diperbarui.")
