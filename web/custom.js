/* Service Hall: customisations of the web client (sao 8.0).
 * sao's index.html loads custom.js and custom.css after sao itself;
 * scripts/bootstrap copies this directory's files into sao/. */
(function() {
    'use strict';

    /* A button in a list row acts on its row.  sao only lets the click
     * select the row when the row is not the current one, so the first
     * click on 叫下一号 of another window did nothing.  Select the row
     * alone (as a plain click on it does), then press the button. */
    var ButtonColumn = Sao.View.Tree.ButtonColumn.prototype;
    var button_clicked = ButtonColumn.button_clicked;
    ButtonColumn.button_clicked = function(event) {
        var record = event.data[0];
        var tree = this.view;
        var row = tree.rows.find(function(row) {
            return row.record == record;
        });
        if (row && ((record != tree.screen.current_record)
                    || (tree.selected_records.length > 1))) {
            if (tree.selection_mode == Sao.common.SELECTION_NONE) {
                tree.select_changed(record);
            } else {
                tree.select_records(null, null);
                row.set_selection(true);
                row.selection_changed();
            }
        }
        return button_clicked.call(this, event);
    };

    /* Lists show the time of a moment to the minute (forms show seconds):
     * the time column of a datetime or timestamp field. */
    var TimeColumn = Sao.View.Tree.TimeColumn.prototype;
    var time_text = TimeColumn.get_textual_value;
    TimeColumn.get_textual_value = function(record) {
        var type = this.field.description.type;
        if ((type == 'datetime') || (type == 'timestamp')) {
            return Sao.common.format_time(
                '%H:%M', this.field.get_client(record));
        }
        return time_text.call(this, record);
    };

    /* A text input is drawn as wide as its field's size (size + 5
     * characters): the server gives every typed text a size, up to a few
     * hundred characters, which pushed forms off the screen.  Long texts
     * take the width of their cell, the size still limits the typing. */
    var WIDE = 60;
    var Char = Sao.View.Form.Char.prototype;
    var char_display = Char.display;
    Char.display = function() {
        var result = char_display.apply(this, arguments);
        if (Number(this.input.attr('size')) > WIDE) {
            this.group.css('width', '100%');
        }
        return result;
    };

    /* A moment is shown to the second: it is modified when the text shown
     * changes, not when the stored microseconds differ from the text, and
     * only then written back to the record (sao asked to save a form nobody
     * had changed: closing a tab writes every widget's value first). */
    var DateTime = Sao.View.Form.DateTime.prototype;
    Object.defineProperty(DateTime, 'modified', {
        get: function() {
            if (this.record && this.field) {
                var format = this.get_format();
                return (this._format(format, this.field.get_client(
                            this.record)) != this.date.val());
            }
            return false;
        },
    });
    var datetime_set_value = DateTime.set_value;
    DateTime.set_value = function() {
        if (this.modified) {
            return datetime_set_value.apply(this, arguments);
        }
    };
}());

(function() {
    'use strict';

    /* A wizard's step puts the cursor in its first field once its dialog
     * is shown: sao places it when the step's values arrive, which on a
     * busy machine comes before the dialog is visible (no field can take
     * the cursor yet) and bootstrap then gives the focus to the dialog. */
    var WizardDialog = Sao.Wizard.Dialog.prototype;
    var wizard_show = WizardDialog.show;
    WizardDialog.show = function() {
        if (!(this.dialog.data('bs.modal') || {}).isShown) {
            this.dialog.one('shown.bs.modal', () => {
                if (this.screen) {
                    this.screen.set_cursor();
                }
            });
        }
        return wizard_show.apply(this, arguments);
    };
}());
