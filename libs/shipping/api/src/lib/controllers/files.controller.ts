import { Controller, Get, NotFoundException, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { UrlSigner } from '@shipbatch/platform/config';
import { LocalLabelFileStore } from '@shipbatch/shipping/data-access';

const TYPES: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', zpl: 'application/zpl' };

/** Label file downloads behind signed, expiring URLs: no API key needed, nothing guessable. */
@ApiExcludeController()
@Controller('files')
export class FilesController {
  constructor(
    private readonly store: LocalLabelFileStore,
    private readonly signer: UrlSigner,
  ) {}

  @Get('*path')
  download(
    @Req() req: Request,
    @Res() res: Response,
    @Query('expires') expires?: string,
    @Query('signature') signature?: string,
  ): void {
    const path = decodeURIComponent(req.path);
    if (!this.signer.verify(path, expires, signature)) throw new NotFoundException('file not found or link expired');
    const key = path.slice('/files/'.length);
    let file: string;
    try {
      file = this.store.pathFor(key);
    } catch {
      throw new NotFoundException('file not found');
    }
    if (!existsSync(file)) throw new NotFoundException('file not found');
    res.type(TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream');
    res.sendFile(file);
  }
}
