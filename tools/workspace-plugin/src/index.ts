export * from './generators/provider/provider.generator';
